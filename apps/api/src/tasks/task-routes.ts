import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createTaskBodySchema,
  deletedSchema,
  listTasksQuerySchema,
  taskListSchema,
  taskSchema,
  updateTaskBodySchema,
} from '@todo/shared/task-schemas';
import { taskPathSchema, toTaskJson, userPathSchema } from './task-schemas.js';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { createRequirePathOwner } from './require-path-owner.js';
import { createTask, deleteTask, getTask, listTasks, parseTaskId, toggleTask, updateTask } from './task-service.js';

async function rejectImpossibleTaskId(request: FastifyRequest): Promise<void> {
  parseTaskId((request.params as { taskId: string }).taskId);
}

export interface TaskDeps {
  db: Db;
  /** Sets `request.user` (id, email, name, sessionId) or answers 401. */
  authenticate: (request: FastifyRequest) => Promise<void>;
  /** Called when a path names another user, before the 403. */
  recordAccessDenied: (request: FastifyRequest) => Promise<void>;
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
        summary: "List the user's tasks, newest first",
        params: userPathSchema,
        querystring: listTasksQuerySchema,
        response: { 200: taskListSchema },
      },
    },
    async (request) => (await listTasks(db, request.user.id, request.query)).map(toTaskJson),
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
        summary: 'Change any of title, description and completed',
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
