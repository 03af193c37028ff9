import type { Priority, Recurrence, TagCounts, TaskCounts, TaskJson } from '@todo/shared/task-schemas';
import { apiRequest, apiRequestWithHeaders } from '../api/client';
import { nextLinkPath } from '../api/link-header';

export type Task = TaskJson;
export type { TagCounts, TaskCounts };

/** What the add and edit forms send: every field a person can set on a task. */
export interface TaskInput {
  title: string;
  description: string | null;
  priority: Priority;
  tags: string[];
  due_at: string | null;
  recurrence: Recurrence | null;
}

/** What a form shows for a task, and what re-creates it. */
export const inputOf = (task: Task): TaskInput => ({
  title: task.title,
  description: task.description,
  priority: task.priority,
  tags: task.tags,
  due_at: task.due_at,
  recurrence: task.recurrence,
});

export type TaskChanges = Partial<TaskInput & { completed: boolean }>;

/** One page of a list, and where the next one is (the `Link` header's rel="next"), if more rows follow. */
export interface TaskPage {
  tasks: Task[];
  next: string | undefined;
}

const base = (userId: string) => `/api/${encodeURIComponent(userId)}`;

/** The first page of the list for these API query parameters (filters, sort, limit). */
export function listTasks(userId: string, query: URLSearchParams): Promise<TaskPage> {
  return readPage(`${base(userId)}/tasks?${query.toString()}`);
}

/** A following page: the path a previous page's `Link` header gave, cursor included. */
export function listPage(path: string): Promise<TaskPage> {
  return readPage(path);
}

async function readPage(path: string): Promise<TaskPage> {
  const { body, headers } = await apiRequestWithHeaders<Task[]>('GET', path);
  return { tasks: body, next: nextLinkPath(headers.get('Link')) };
}

export function countTasks(userId: string, query: URLSearchParams): Promise<TaskCounts> {
  return apiRequest('GET', `${base(userId)}/tasks/counts?${query.toString()}`);
}

export function listTags(userId: string): Promise<TagCounts> {
  return apiRequest('GET', `${base(userId)}/tags`);
}

export function createTask(userId: string, input: TaskInput): Promise<Task> {
  return apiRequest('POST', `${base(userId)}/tasks`, { body: input });
}

export function updateTask(userId: string, taskId: number, changes: TaskChanges): Promise<Task> {
  return apiRequest('PUT', `${base(userId)}/tasks/${taskId}`, { body: changes });
}

export function toggleTask(userId: string, taskId: number): Promise<Task> {
  return apiRequest('PATCH', `${base(userId)}/tasks/${taskId}/complete`);
}

export async function deleteTask(userId: string, taskId: number): Promise<void> {
  await apiRequest('DELETE', `${base(userId)}/tasks/${taskId}`);
}

/** Deletes every completed task of the person (not only those on screen) and says how many went. */
export async function deleteCompletedTasks(userId: string): Promise<number> {
  return (await apiRequest<{ deleted: number }>('DELETE', `${base(userId)}/tasks?status=completed`)).deleted;
}
