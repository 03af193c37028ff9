// The bare limit: the same Fastify app (every plugin and app-wide hook, from the API's own
// createHttpApp) with three routes that answer from memory, with no authentication and no database.
// Each answer goes through the same response schema as the real route, so only authentication and the
// query are missing.
import { createTaskBodySchema, taskListSchema, taskSchema } from '@todo/shared/task-schemas';
import { importApi, serve } from './api.mjs';

const { createHttpApp } = await importApi('http/http-app.js');
const { loadConfig } = await importApi('config.js');
const { taskPathSchema, toTaskJson, userPathSchema } = await importApi('tasks/task-schemas.js');

const app = await createHttpApp(loadConfig(process.env));

const userId = '00000000-0000-4000-8000-000000000000';
const tasks = Array.from({ length: 20 }, (_, i) =>
  toTaskJson({
    id: 20 - i,
    userId,
    title: `Task ${20 - i}`,
    description: null,
    completed: i % 3 === 0,
    priority: 'medium',
    tags: [],
    dueAt: null,
    recurrence: null,
    completedAt: i % 3 === 0 ? new Date(Date.UTC(2025, 0, 1, 0, 0, 20 - i)) : null,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 20 - i)),
    updatedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 20 - i)),
  }),
);

app.get(
  '/api/bare/:userId/tasks',
  { schema: { params: userPathSchema, response: { 200: taskListSchema } } },
  async () => tasks,
);
app.post(
  '/api/bare/:userId/tasks',
  {
    schema: { params: userPathSchema, body: createTaskBodySchema, response: { 201: taskSchema } },
  },
  async (_request, reply) => reply.code(201).send(tasks[0]),
);
app.patch(
  '/api/bare/:userId/tasks/:taskId/complete',
  {
    schema: { params: taskPathSchema, response: { 200: taskSchema } },
  },
  async () => tasks[0],
);

await serve(app);
