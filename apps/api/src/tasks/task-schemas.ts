import type { TaskJson } from '@todo/shared/task-schemas';
import { z } from 'zod';
import type { Task } from '../db/schema.js';

// The request and response schemas both apps use live in @todo/shared; the path schemas are the API's own.

export const userPathSchema = z.object({ userId: z.string() });
// A task id that is not a positive integer is answered 404 by an onRequest hook before this runs.
export const taskPathSchema = z.object({ userId: z.string(), taskId: z.coerce.number().int().positive() });

/** What a task's JSON is made of: the columns a list reads, and no more (not the folded search copies). */
export type TaskFields = Pick<
  Task,
  | 'id'
  | 'userId'
  | 'title'
  | 'description'
  | 'completed'
  | 'priority'
  | 'tags'
  | 'dueAt'
  | 'recurrence'
  | 'completedAt'
  | 'createdAt'
  | 'updatedAt'
>;

export function toTaskJson(task: TaskFields): TaskJson {
  return {
    id: task.id,
    user_id: task.userId,
    title: task.title,
    description: task.description,
    completed: task.completed,
    priority: task.priority,
    tags: task.tags,
    due_at: task.dueAt?.toISOString() ?? null,
    recurrence: task.recurrence,
    completed_at: task.completedAt?.toISOString() ?? null,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
  };
}
