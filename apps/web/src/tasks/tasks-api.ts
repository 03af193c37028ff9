import { LIMITS } from '@todo/shared/limits';
import { apiRequest } from '../api/client';

export interface Task {
  id: number;
  user_id: string;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

export interface TaskInput {
  title: string;
  description: string | null;
}

export type TaskChanges = Partial<TaskInput & { completed: boolean }>;

const base = (userId: string) => `/api/${encodeURIComponent(userId)}/tasks`;

// The page filters and counts on its own, so it loads the newest 500 (the API's largest page) at once.
export function listTasks(userId: string): Promise<Task[]> {
  return apiRequest('GET', `${base(userId)}?limit=${LIMITS.listLimitMax}`);
}

export function createTask(userId: string, input: TaskInput): Promise<Task> {
  return apiRequest('POST', base(userId), { body: input });
}

export function updateTask(userId: string, taskId: number, changes: TaskChanges): Promise<Task> {
  return apiRequest('PUT', `${base(userId)}/${taskId}`, { body: changes });
}

export function toggleTask(userId: string, taskId: number): Promise<Task> {
  return apiRequest('PATCH', `${base(userId)}/${taskId}/complete`);
}

export async function deleteTask(userId: string, taskId: number): Promise<void> {
  await apiRequest('DELETE', `${base(userId)}/${taskId}`);
}
