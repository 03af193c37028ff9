import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { PRIORITIES, RECURRENCES } from '@todo/shared/task-schemas';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => randomUUID()),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('users_email_unique').on(table.email),
    check('users_email_lower', sql`${table.email} = lower(${table.email})`),
    check('users_email_length', sql`char_length(${table.email}) between 3 and 254`),
    check('users_name_length', sql`char_length(${table.name}) between 1 and 100`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => randomUUID()),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (table) => [index('sessions_user_id_idx').on(table.userId)],
);

/** The order of `sort=priority`, high first: a number, so an index can hold it. */
export const priorityRank = (priority: AnyPgColumn | SQL) =>
  sql`(case ${priority} when 'high' then 0 when 'medium' then 1 else 2 end)`;
/** The order of `sort=due`: soonest first and no due date last, which 'infinity' gives for free. */
export const dueKey = (dueAt: AnyPgColumn | SQL) => sql`coalesce(${dueAt}, 'infinity'::timestamptz)`;

export const tasks = pgTable(
  'tasks',
  {
    id: serial('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description'),
    completed: boolean('completed').notNull().default(false),
    priority: text('priority', { enum: PRIORITIES }).notNull().default('medium'),
    /** Normalised (trimmed, lower-case, no duplicates), in the order the person gave them. */
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    dueAt: timestamp('due_at', { withTimezone: true, precision: 3 }),
    recurrence: text('recurrence', { enum: RECURRENCES }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Set once completing this repeating task has created the next one: it never creates another. */
    nextOccurrenceCreated: boolean('next_occurrence_created').notNull().default(false),
    /**
     * Title and description case-folded by the API (tasks/search-text.ts), what `q` is matched against:
     * the folding is Unicode's, whatever the database's locale.
     */
    searchTitle: text('search_title').notNull(),
    searchDescription: text('search_description'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    // Each sort (tasks/task-order.ts) is read in order from its own index, owner first, ties by id.
    index('tasks_user_created_idx').on(table.userId, table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    index('tasks_user_due_idx').on(table.userId, dueKey(table.dueAt), table.id),
    index('tasks_user_priority_idx').on(table.userId, priorityRank(table.priority), table.id),
    index('tasks_user_title_idx').on(table.userId, table.title, table.id),
    // Overdue tasks are counted from this alone, and counts under a filter (a search, a tag, a priority)
    // read it rather than the table where they can.
    index('tasks_user_counts_idx').on(table.userId, table.completed, table.dueAt),
    // A rare tag or a search word is found through these (btree_gin lets the owner sit in a GIN index).
    index('tasks_user_tags_idx').using('gin', table.userId, table.tags),
    index('tasks_search_idx').using(
      'gin',
      table.userId,
      table.searchTitle.op('gin_trgm_ops'),
      table.searchDescription.op('gin_trgm_ops'),
    ),
    check('tasks_title_length', sql`char_length(${table.title}) between 1 and 200`),
    check('tasks_description_length', sql`${table.description} is null or char_length(${table.description}) <= 1000`),
    check('tasks_priority_value', sql`${table.priority} in ('low', 'medium', 'high')`),
    // At most 10 tags, each 1 to 30 characters without commas: a function the migration defines
    // (0004_task_fields.sql), as a CHECK cannot look at an array's items itself.
    check('tasks_tags_shape', sql`tasks_tags_are_valid(${table.tags})`),
    check(
      'tasks_recurrence_value',
      sql`${table.recurrence} is null or ${table.recurrence} in ('daily', 'weekly', 'monthly')`,
    ),
    check('tasks_recurrence_needs_due', sql`${table.recurrence} is null or ${table.dueAt} is not null`),
    check('tasks_completed_at', sql`${table.completed} = (${table.completedAt} is not null)`),
  ],
);

/**
 * How many tasks, and how many completed, each owner has: kept by statement triggers on tasks
 * (0005_task_counters.sql) in the transaction that changes them, so the unfiltered counts cost the same
 * at 100,000 tasks as at 100.
 */
export const taskCounts = pgTable('task_counts', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  total: integer('total').notNull(),
  completed: integer('completed').notNull(),
});

/** How many of an owner's tasks carry each tag, kept by the same triggers: the tag list reads only these. */
export const taskTagCounts = pgTable(
  'task_tag_counts',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.tag] }),
    index('task_tag_counts_order_idx').on(table.userId, table.count.desc(), table.tag),
  ],
);

// The audit trail. user_id is deliberately not a foreign key: the record of an account's deletion
// outlives the account. Never holds a password or a token. Rows older than AUDIT_RETENTION are pruned.
export const authEvents = pgTable(
  'auth_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: text('user_id'),
    email: text('email'),
    event: text('event').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    createdAt: createdAt(),
    /**
     * Refusals only (access_denied, revoked_token_use): one row stands for every refusal of its kind
     * from one address for one user within a clock minute. `refusal_key` names that minute and `count`
     * says how many refusals it stands for; the row keeps the first one's agent and request id.
     */
    refusalKey: text('refusal_key'),
    count: integer('count'),
  },
  (table) => [
    index('auth_events_user_created_idx').on(table.userId, table.createdAt.desc().nullsFirst()),
    index('auth_events_created_idx').on(table.createdAt),
    uniqueIndex('auth_events_refusal_key_unique')
      .on(table.refusalKey)
      .where(sql`${table.refusalKey} is not null`),
  ],
);

// Rate-limit state shared by every replica (used with DATABASE_URL; PGlite keeps it in memory).
export const rateLimitBuckets = pgTable('rate_limit_buckets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  refilledAt: timestamp('refilled_at', { withTimezone: true }).notNull(),
  /** Whether the latest attempt got a token: the one-statement update reports its decision here. */
  allowed: boolean('allowed').notNull(),
});

export const signinFailures = pgTable('signin_failures', {
  key: text('key').primaryKey(),
  consecutive: integer('consecutive').notNull(),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  windowCount: integer('window_count').notNull(),
  /** Seconds the latest attempt was told to wait (0: it went ahead and was counted), as with `allowed` above. */
  refusedForSeconds: doublePrecision('refused_for_seconds').notNull().default(0),
});

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Task = typeof tasks.$inferSelect;
export type AuthEvent = typeof authEvents.$inferSelect;
