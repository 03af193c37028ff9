import { and, desc, eq, not, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { tasks, type Task } from '../db/schema.js';
import { fail } from '../errors.js';
import type { CreateTaskBody, ListTasksQuery, UpdateTaskBody } from '@todo/shared/task-schemas';

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

// The list is the hottest query: prepared once per database and status filter, so drizzle does not build
// it again on each request, nor PostgreSQL plan it again where named statements are allowed (see
// db/postgres-client.ts: through a pooler in transaction mode it goes unnamed).
const listQueries = new WeakMap<Db, Map<ListTasksQuery['status'], ReturnType<typeof prepareList>>>();

function prepareList(db: Db, status: ListTasksQuery['status']) {
  const filters: SQL[] = [eq(tasks.userId, sql.placeholder('ownerId'))];
  if (status === 'pending') filters.push(eq(tasks.completed, false));
  if (status === 'completed') filters.push(eq(tasks.completed, true));
  return db
    .select()
    .from(tasks)
    .where(and(...filters))
    .orderBy(desc(tasks.createdAt), desc(tasks.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare(`list_tasks_${status}`);
}

export function listTasks(db: Db, ownerId: string, query: ListTasksQuery): Promise<Task[]> {
  let prepared = listQueries.get(db);
  if (!prepared) listQueries.set(db, (prepared = new Map<ListTasksQuery['status'], ReturnType<typeof prepareList>>()));
  let statement = prepared.get(query.status);
  if (!statement) prepared.set(query.status, (statement = prepareList(db, query.status)));
  return statement.execute({ ownerId, limit: query.limit, offset: query.offset });
}

export async function createTask(db: Db, ownerId: string, input: CreateTaskBody): Promise<Task> {
  const [task] = await db
    .insert(tasks)
    .values({ userId: ownerId, title: input.title, description: input.description || null })
    .returning();
  return task!;
}

export async function getTask(db: Db, ownerId: string, taskId: number): Promise<Task> {
  const [task] = await db.select().from(tasks).where(ownedTask(ownerId, taskId)).limit(1);
  if (!task) throw taskNotFound();
  return task;
}

export async function updateTask(db: Db, ownerId: string, taskId: number, input: UpdateTaskBody): Promise<Task> {
  const [task] = await db
    .update(tasks)
    .set({
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description || null }),
      ...(input.completed !== undefined && { completed: input.completed }),
      updatedAt: sql`clock_timestamp()`,
    })
    .where(ownedTask(ownerId, taskId))
    .returning();
  if (!task) throw taskNotFound();
  return task;
}

export async function toggleTask(db: Db, ownerId: string, taskId: number): Promise<Task> {
  const [task] = await db
    .update(tasks)
    .set({ completed: not(tasks.completed), updatedAt: sql`clock_timestamp()` })
    .where(ownedTask(ownerId, taskId))
    .returning();
  if (!task) throw taskNotFound();
  return task;
}

export async function deleteTask(db: Db, ownerId: string, taskId: number): Promise<void> {
  const deleted = await db.delete(tasks).where(ownedTask(ownerId, taskId)).returning({ id: tasks.id });
  if (deleted.length === 0) throw taskNotFound();
}
