import { z } from 'zod';
import { LIMITS } from './limits.js';
import {
  codePointLength,
  hasNoControlCharacter,
  hasVisibleCharacter,
  maxCodePoints,
  textField,
  wholeNumberParam,
} from './text.js';

const titleSchema = textField('Title is required', 'Title must be text')
  .trim()
  .min(1, 'Title is required')
  .refine((value) => hasNoControlCharacter(value), 'Title must not contain control characters')
  .refine(hasVisibleCharacter, 'Title is required')
  .refine(maxCodePoints(LIMITS.titleMax), `Title must be ${LIMITS.titleMax} characters or less`);

// Optional everywhere; an empty description is stored as null. It may run over several lines.
const descriptionSchema = z
  .string({ error: 'Description must be text' })
  .trim()
  .refine(
    (value) => hasNoControlCharacter(value, { multiline: true }),
    'Description must not contain control characters',
  )
  .refine(maxCodePoints(LIMITS.descriptionMax), `Description must be ${LIMITS.descriptionMax} characters or less`)
  .nullable()
  .optional();

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const RECURRENCES = ['daily', 'weekly', 'monthly'] as const;
export type Recurrence = (typeof RECURRENCES)[number];

export const TASK_SENTENCES = {
  priority: 'Priority must be low, medium or high',
  tooManyTags: `At most ${LIMITS.tagsMax} tags`,
  tagLength: `Each tag must be 1 to ${LIMITS.tagMax} characters`,
  tagComma: 'Tags cannot contain commas',
  tagControl: 'Tags cannot contain control characters',
  dueAt: 'Due date must be a date and time',
  recurrence: 'Repeat must be daily, weekly or monthly',
  recurrenceNeedsDue: 'A repeating task needs a due date',
} as const;

const prioritySchema = z.enum(PRIORITIES, { error: TASK_SENTENCES.priority });

/** A tag as it is stored and compared: trimmed and lower-cased. */
export function normalizeTag(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Why a normalised tag cannot be kept, or undefined when it can. */
export function tagProblem(tag: string): string | undefined {
  if (tag.includes(',')) return TASK_SENTENCES.tagComma;
  const length = codePointLength(tag);
  if (length < 1 || length > LIMITS.tagMax) return TASK_SENTENCES.tagLength;
  if (!hasNoControlCharacter(tag)) return TASK_SENTENCES.tagControl;
  return undefined;
}

// Every sentence about tags is the field's own (`tags`, never `tags.3`), so the array's items are checked
// here rather than by an item schema, whose failures would be named by their index.
const tagsSchema = z.array(z.unknown(), { error: TASK_SENTENCES.tagLength }).transform((items, ctx) => {
  const tags: string[] = [];
  for (const item of items) {
    const tag = typeof item === 'string' ? normalizeTag(item) : '';
    const problem = typeof item === 'string' ? tagProblem(tag) : TASK_SENTENCES.tagLength;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  // Counted after normalising and dropping duplicates: "Work" and "work " are one tag.
  if (tags.length > LIMITS.tagsMax) {
    ctx.addIssue({ code: 'custom', message: TASK_SENTENCES.tooManyTags });
    return z.NEVER;
  }
  return tags;
});

// An ISO 8601 timestamp with an offset (or Z); the date must exist (no 30 February). Kept to the millisecond.
const dueAtSchema = z
  .union([z.iso.datetime({ offset: true, error: TASK_SENTENCES.dueAt }), z.null()], { error: TASK_SENTENCES.dueAt })
  .transform((value) => (value === null ? null : new Date(value)))
  .optional();

const recurrenceSchema = z.enum(RECURRENCES, { error: TASK_SENTENCES.recurrence }).nullable().optional();

export const createTaskBodySchema = z
  .object({
    title: titleSchema,
    description: descriptionSchema,
    priority: prioritySchema.default('medium'),
    tags: tagsSchema.default([]),
    due_at: dueAtSchema,
    recurrence: recurrenceSchema,
  })
  .refine((body) => !body.recurrence || body.due_at, {
    message: TASK_SENTENCES.recurrenceNeedsDue,
    path: ['recurrence'],
  });
export type CreateTaskBody = z.infer<typeof createTaskBodySchema>;

export const updateTaskBodySchema = z
  .object({
    title: titleSchema.optional(),
    description: descriptionSchema,
    priority: prioritySchema.optional(),
    tags: tagsSchema.optional(),
    due_at: dueAtSchema,
    recurrence: recurrenceSchema,
    completed: z.boolean({ error: 'Completed must be true or false' }).optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Send at least one of title, description, priority, tags, due_at, recurrence or completed',
    path: ['title'],
  })
  // A PUT that clears the due date of a task that repeats is refused too: the service checks the stored task.
  .refine((body) => !body.recurrence || body.due_at !== null, {
    message: TASK_SENTENCES.recurrenceNeedsDue,
    path: ['recurrence'],
  });
export type UpdateTaskBody = z.infer<typeof updateTaskBodySchema>;

export const STATUSES = ['all', 'pending', 'completed'] as const;
export const DUE_FILTERS = ['overdue', 'today', 'week', 'none'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];
export const SORTS = ['created', 'due', 'priority', 'title'] as const;
export type TaskSort = (typeof SORTS)[number];

/** True when `name` is a time zone this runtime knows (IANA names, any letter case). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// An absent parameter and an empty one (`?q=`, `?tag=`) mean the same: no filter.
const blankToUndefined = (value: unknown) => (value === '' ? undefined : value);

const searchParam = z.preprocess(
  blankToUndefined,
  z
    .string({ error: 'Search must be text' })
    .refine(maxCodePoints(LIMITS.searchMax), `Search must be ${LIMITS.searchMax} characters or less`)
    .refine((q) => hasNoControlCharacter(q, { multiline: true }), 'Search must not contain control characters')
    .optional(),
);

const tagParam = z.preprocess(
  blankToUndefined,
  z
    .string({ error: TASK_SENTENCES.tagLength })
    .transform(normalizeTag)
    .superRefine((tag, ctx) => {
      const problem = tagProblem(tag);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
);

const timeZoneParam = z
  .string({ error: 'Time zone must be an IANA name such as Europe/Paris' })
  .refine(isTimeZone, 'Time zone must be an IANA name such as Europe/Paris')
  // One spelling per zone ("utc" is UTC), so a cursor made under one is good under the other.
  .transform((name) => new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone)
  .default('UTC');

/** The filters the counts honour too: search, tag, priority (and tz, which `overdue` does not need). */
const sharedFilters = {
  q: searchParam,
  tag: tagParam,
  priority: z.preprocess(blankToUndefined, prioritySchema.optional()),
  tz: timeZoneParam,
};

const OFFSET_SENTENCE = 'Offset must be a whole number, 0 or more';

export const listTasksQuerySchema = z
  .object({
    status: z.enum(STATUSES, { error: 'Status must be all, pending or completed' }).default('all'),
    ...sharedFilters,
    due: z.preprocess(
      blankToUndefined,
      z.enum(DUE_FILTERS, { error: 'Due must be overdue, today, week or none' }).optional(),
    ),
    sort: z.enum(SORTS, { error: 'Sort must be created, due, priority or title' }).default('created'),
    limit: wholeNumberParam(
      1,
      LIMITS.listLimitMax,
      LIMITS.listLimitDefault,
      `Limit must be a whole number from 1 to ${LIMITS.listLimitMax}`,
    ),
    // No default: an offset that was sent, even 0, cannot go with a cursor.
    offset: z.coerce
      .number({ error: OFFSET_SENTENCE })
      .int(OFFSET_SENTENCE)
      .min(0, OFFSET_SENTENCE)
      .max(Number.MAX_SAFE_INTEGER, OFFSET_SENTENCE)
      .optional(),
    cursor: z.string({ error: 'Cursor must be text' }).max(1000, 'Cursor must be 1000 characters or less').optional(),
  })
  .refine((query) => query.cursor === undefined || query.offset === undefined, {
    message: 'Offset cannot be used with a cursor',
    path: ['offset'],
  });
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

export const taskCountsQuerySchema = z.object(sharedFilters);
export type TaskCountsQuery = z.infer<typeof taskCountsQuerySchema>;

export const deleteTasksQuerySchema = z.object({
  status: z.literal('completed', { error: 'Status must be completed: only completed tasks are deleted in bulk' }),
});

export const taskSchema = z.object({
  id: z.number().int(),
  user_id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  completed: z.boolean(),
  priority: z.enum(PRIORITIES),
  tags: z.array(z.string()),
  due_at: z.string().nullable(),
  recurrence: z.enum(RECURRENCES).nullable(),
  completed_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TaskJson = z.infer<typeof taskSchema>;

export const taskListSchema = z.array(taskSchema);
export const deletedSchema = z.object({ message: z.string() });
export const bulkDeletedSchema = z.object({ deleted: z.number().int() });
export const taskCountsSchema = z.object({
  all: z.number().int(),
  pending: z.number().int(),
  completed: z.number().int(),
  overdue: z.number().int(),
});
export type TaskCounts = z.infer<typeof taskCountsSchema>;
export const tagCountsSchema = z.array(z.object({ tag: z.string(), count: z.number().int() }));
export type TagCounts = z.infer<typeof tagCountsSchema>;
