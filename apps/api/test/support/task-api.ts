import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { SignedUpUser } from './test-app.js';

/** Every key of a task's JSON, sorted: what the contract's task object holds, no more. */
export const TASK_KEYS = [
  'completed',
  'completed_at',
  'created_at',
  'description',
  'due_at',
  'id',
  'priority',
  'recurrence',
  'tags',
  'title',
  'updated_at',
  'user_id',
];

export interface TaskJsonForTests {
  id: number;
  title: string;
  description: string | null;
  completed: boolean;
  priority: string;
  tags: string[];
  due_at: string | null;
  recurrence: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  user_id: string;
}

/** The task endpoints as one signed-up user calls them: raw answers, and checked shortcuts. */
export function taskApi(app: FastifyInstance, user: SignedUpUser) {
  const base = `/api/${user.id}`;
  const headers = user.auth;
  const api = {
    post: (payload: unknown) =>
      app.inject({ method: 'POST', url: `${base}/tasks`, headers, payload: payload as object }),
    put: (id: number, payload: unknown) =>
      app.inject({ method: 'PUT', url: `${base}/tasks/${id}`, headers, payload: payload as object }),
    patchComplete: (id: number) => app.inject({ method: 'PATCH', url: `${base}/tasks/${id}/complete`, headers }),
    remove: (id: number) => app.inject({ method: 'DELETE', url: `${base}/tasks/${id}`, headers }),
    /** GET …/tasks with a query string (`status=pending&sort=due`), or a whole path from a Link header. */
    list: (query = '') =>
      app.inject({ method: 'GET', url: query.startsWith('/') ? query : `${base}/tasks?${query}`, headers }),
    counts: (query = '') => app.inject({ method: 'GET', url: `${base}/tasks/counts?${query}`, headers }),
    tags: () => app.inject({ method: 'GET', url: `${base}/tags`, headers }),
    clear: (query = 'status=completed') => app.inject({ method: 'DELETE', url: `${base}/tasks?${query}`, headers }),

    /** POST a task and expect 201: the created task. */
    async create(payload: Record<string, unknown> = { title: 'A task' }): Promise<TaskJsonForTests> {
      const response = await api.post(payload);
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    },
    /** The ids of one page, in order, and where the next page is (the Link header's target), if any. */
    async page(query = ''): Promise<{ ids: number[]; tasks: TaskJsonForTests[]; next: string | undefined }> {
      const response = await api.list(query);
      expect(response.statusCode, response.body).toBe(200);
      const tasks = response.json<TaskJsonForTests[]>();
      return { ids: tasks.map((task) => task.id), tasks, next: nextLink(response.headers.link) };
    },
  };
  return api;
}

/** The target of a `Link: <…>; rel="next"` header. */
export function nextLink(header: string | string[] | number | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  return /^<([^>]+)>; rel="next"$/.exec(header)?.[1];
}
