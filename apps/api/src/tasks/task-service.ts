import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { tasks, type Task } from '../db/schema.js';
import { fail } from '../errors.js';
import { TASK_SENTENCES, type CreateTaskBody, type UpdateTaskBody } from '@todo/shared/task-schemas';
import { nextDueAt } from './recurrence.js';
import { searchColumns } from './search-text.js';

const MAX_TASK_ID = 2_147_483_647; // serial is a 32-bit integer

const taskNotFound = () => fail('task_not_found');

/** A path's task id as a number; anything that cannot be a task id is simply "not found". */
export function parseTaskId(raw: string): number {
  if (!/^\d{1,10}$/.test(raw)) throw taskNotFound();
  const id = Number(raw);
  if (id < 1 || id > MAX_TASK_ID) throw taskNotFound();
  return id;
}

// Every query below names the owner itself, so a forgotten check can never expose another user's task.
const ownedTask = (ownerId: string, taskId: number) => and(eq(tasks.id, taskId), eq(tasks.userId, ownerId));

export async function createTask(db: Db, ownerId: string, input: CreateTaskBody): Promise<Task> {
  const description = input.description || null;
  const [task] = await db
    .insert(tasks)
    .values({
      userId: ownerId,
      title: input.title,
      description,
      ...searchColumns(input.title, description),
      priority: input.priority,
      tags: input.tags,
      dueAt: input.due_at ?? null,
      recurrence: input.recurrence ?? null,
    })
    .returning();
  return task!;
}

export async function getTask(db: Db, ownerId: string, taskId: number): Promise<Task> {
  const [task] = await db.select().from(tasks).where(ownedTask(ownerId, taskId)).limit(1);
  if (!task) throw taskNotFound();
  return task;
}

/** PUT: any field, `completed` included, under the same rules as a PATCH …/complete. */
export function updateTask(db: Db, ownerId: string, taskId: number, input: UpdateTaskBody): Promise<Task> {
  return changeTask(db, ownerId, taskId, (current) => {
    const title = input.title ?? current.title;
    const description = input.description === undefined ? current.description : input.description || null;
    const dueAt = input.due_at === undefined ? current.dueAt : input.due_at;
    const recurrence = input.recurrence === undefined ? current.recurrence : input.recurrence;
    // The schema catches a body that sets a repeat and clears the date; this catches a date cleared under
    // a repeat the task already has.
    if (recurrence && !dueAt) {
      const message = TASK_SENTENCES.recurrenceNeedsDue;
      throw fail('validation_failed', { message, fields: { recurrence: message } });
    }
    return {
      ...(input.title !== undefined || input.description !== undefined
        ? { title, description, ...searchColumns(title, description) }
        : {}),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.tags !== undefined && { tags: input.tags }),
      ...(input.due_at !== undefined && { dueAt }),
      ...(input.recurrence !== undefined && { recurrence }),
      completed: input.completed ?? current.completed,
    };
  });
}

/** PATCH …/complete: flips done and not done. */
export function toggleTask(db: Db, ownerId: string, taskId: number): Promise<Task> {
  return changeTask(db, ownerId, taskId, (current) => ({ completed: !current.completed }));
}

type TaskChanges = Partial<typeof tasks.$inferInsert> & { completed: boolean };

/**
 * Reads the owner's task under a row lock, applies `decide`'s changes, and when they complete a
 * repeating task for the first time, creates its next occurrence in the same transaction. The lock makes
 * two completions at once take turns, so the second sees the first's and no occurrence is made twice.
 */
function changeTask(db: Db, ownerId: string, taskId: number, decide: (current: Task) => TaskChanges): Promise<Task> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(tasks).where(ownedTask(ownerId, taskId)).for('update');
    if (!current) throw taskNotFound();
    const changes = decide(current);
    const completing = changes.completed && !current.completed;
    const reopening = !changes.completed && current.completed;
    // One statement's time for both, so a task completed by this change says so at its updated_at.
    const [task] = await tx
      .update(tasks)
      .set({
        ...changes,
        ...(completing && { completedAt: sql`statement_timestamp()` }),
        ...(reopening && { completedAt: null }),
        updatedAt: sql`statement_timestamp()`,
      })
      .where(eq(tasks.id, current.id))
      .returning();
    if (!completing || !task!.recurrence || !task!.dueAt || current.nextOccurrenceCreated) return task!;
    await tx.insert(tasks).values({
      userId: task!.userId,
      title: task!.title,
      description: task!.description,
      searchTitle: task!.searchTitle,
      searchDescription: task!.searchDescription,
      priority: task!.priority,
      tags: task!.tags,
      recurrence: task!.recurrence,
      dueAt: nextDueAt(task!.dueAt, task!.recurrence),
    });
    const [marked] = await tx
      .update(tasks)
      .set({ nextOccurrenceCreated: true })
      .where(eq(tasks.id, current.id))
      .returning();
    return marked!;
  });
}

export async function deleteTask(db: Db, ownerId: string, taskId: number): Promise<void> {
  const deleted = await db.delete(tasks).where(ownedTask(ownerId, taskId)).returning({ id: tasks.id });
  if (deleted.length === 0) throw taskNotFound();
}

/** DELETE …/tasks?status=completed: every completed task of the owner; how many went. */
export async function deleteCompletedTasks(db: Db, ownerId: string): Promise<number> {
  const deleted = db.$with('deleted').as(
    db
      .delete(tasks)
      .where(and(eq(tasks.userId, ownerId), eq(tasks.completed, true)))
      .returning({ id: tasks.id }),
  );
  const [row] = await db
    .with(deleted)
    .select({ count: sql<number>`count(*)::int` })
    .from(deleted);
  return row!.count;
}
