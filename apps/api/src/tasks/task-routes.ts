import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  bulkDeletedSchema,
  createTaskBodySchema,
  deletedSchema,
  deleteTasksQuerySchema,
  listTasksQuerySchema,
  tagCountsSchema,
  taskCountsQuerySchema,
  taskCountsSchema,
  taskListSchema,
  taskSchema,
  updateTaskBodySchema,
} from '@todo/shared/task-schemas';
import { taskPathSchema, toTaskJson, userPathSchema } from './task-schemas.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { createRequirePathOwner } from './require-path-owner.js';
import type { CursorKey } from './task-cursor.js';
import { countTasks, listTags, listTasks } from './task-list.js';
import {
  createTask,
  deleteCompletedTasks,
  deleteTask,
  getTask,
  parseTaskId,
  toggleTask,
  updateTask,
} from './task-service.js';

/**
 * The `Link` to the next page (RFC 8288): the request's own path and query, its offset and cursor
 * replaced by the cursor after the last row, so the next page is read by key, never by offset.
 */
function nextPageLink(request: FastifyRequest, cursor: string): string {
  const [path, search = ''] = request.url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(search);
  params.delete('offset');
  params.set('cursor', cursor);
  return `<${path}?${params.toString()}>; rel="next"`;
}

async function rejectImpossibleTaskId(request: FastifyRequest): Promise<void> {
  parseTaskId((request.params as { taskId: string }).taskId);
}

export interface TaskDeps {
  db: Db;
  /** Sets `request.user` (id, email, name, sessionId) or answers 401. */
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Called when a path names another user, before the 403. */
  recordAccessDenied: (request: FastifyRequest) => Promise<void>;
  /** Signs and checks the list's cursors (task-cursor.ts). */
  cursorKey: CursorKey;
}

export const taskRoutes: FastifyPluginAsyncZod<{ deps: TaskDeps }> = async (app, { deps }) => {
  const { db } = deps;
  const requirePathOwner = createRequirePathOwner(deps.recordAccessDenied);
  // 401 without a valid session, then 403 when the path names someone else.
  const guarded = { onRequest: [deps.authenticate, requirePathOwner] };
  // ...and for one task, 404 when its id cannot be a task's, before any body is looked at.
  const guardedTask = { onRequest: [deps.authenticate, requirePathOwner, rejectImpossibleTaskId] };
  const docs = { tags: ['tasks'], security: [{ bearerAuth: [] }] };

  app.get(
    '/:userId/tasks',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: "List the user's tasks: filtered, searched, sorted, a page at a time",
        description: 'When more rows follow, a `Link: <…&cursor=…>; rel="next"` header gives the next page.',
        params: userPathSchema,
        querystring: listTasksQuerySchema,
        response: { 200: taskListSchema },
      },
    },
    async (request, reply) => {
      const page = await listTasks(db, deps.cursorKey, request.user.id, request.query);
      if (page.nextCursor) reply.header('Link', nextPageLink(request, page.nextCursor));
      return page.tasks.map(toTaskJson);
    },
  );

  app.get(
    '/:userId/tasks/counts',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: 'How many tasks there are in all, pending, completed and overdue',
        params: userPathSchema,
        querystring: taskCountsQuerySchema,
        response: { 200: taskCountsSchema },
      },
    },
    (request) => countTasks(db, request.user.id, request.query),
  );

  app.get(
    '/:userId/tags',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: "The user's tags, most used first",
        params: userPathSchema,
        response: { 200: tagCountsSchema },
      },
    },
    (request) => listTags(db, request.user.id),
  );

  app.delete(
    '/:userId/tasks',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: 'Delete every completed task (status=completed is required)',
        params: userPathSchema,
        querystring: deleteTasksQuerySchema,
        response: { 200: bulkDeletedSchema },
      },
    },
    async (request) => ({ deleted: await deleteCompletedTasks(db, request.user.id) }),
  );

  app.post(
    '/:userId/tasks',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: 'Create a task',
        params: userPathSchema,
        body: createTaskBodySchema,
        response: { 201: taskSchema },
      },
    },
    async (request, reply) => reply.code(201).send(toTaskJson(await createTask(db, request.user.id, request.body))),
  );

  app.get(
    '/:userId/tasks/:taskId',
    {
      ...guardedTask,
      schema: { ...docs, summary: 'Get one task', params: taskPathSchema, response: { 200: taskSchema } },
    },
    async (request) => toTaskJson(await getTask(db, request.user.id, request.params.taskId)),
  );

  app.put(
    '/:userId/tasks/:taskId',
    {
      ...guardedTask,
      schema: {
        ...docs,
        summary: 'Change any of the fields, completed included',
        params: taskPathSchema,
        body: updateTaskBodySchema,
        response: { 200: taskSchema },
      },
    },
    async (request) => toTaskJson(await updateTask(db, request.user.id, request.params.taskId, request.body)),
  );

  app.patch(
    '/:userId/tasks/:taskId/complete',
    {
      ...guardedTask,
      schema: {
        ...docs,
        summary: 'Flip a task between done and not done',
        params: taskPathSchema,
        response: { 200: taskSchema },
      },
    },
    async (request) => toTaskJson(await toggleTask(db, request.user.id, request.params.taskId)),
  );

  app.delete(
    '/:userId/tasks/:taskId',
    {
      ...guardedTask,
      schema: { ...docs, summary: 'Delete a task', params: taskPathSchema, response: { 200: deletedSchema } },
    },
    async (request) => {
      await deleteTask(db, request.user.id, request.params.taskId);
      return { message: 'Task deleted successfully' };
    },
  );
};
