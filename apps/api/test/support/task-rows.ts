import type { tasks } from '../../src/db/schema.js';
import { searchColumns } from '../../src/tasks/search-text.js';

type TaskRow = typeof tasks.$inferInsert;

/**
 * A row for inserting straight into the tasks table (to choose creation times, or many rows at once),
 * with the folded search copies the API would store.
 */
export function taskRow(values: Omit<TaskRow, 'searchTitle' | 'searchDescription'>): TaskRow {
  return { ...values, ...searchColumns(values.title, values.description ?? null) };
}
