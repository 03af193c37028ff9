import { z } from 'zod';
import { LIMITS } from './limits.js';
import { hasNoControlCharacter, hasVisibleCharacter, maxCodePoints, textField, wholeNumberParam } from './text.js';

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

export const createTaskBodySchema = z.object({
  title: titleSchema,
  description: descriptionSchema,
});
export type CreateTaskBody = z.infer<typeof createTaskBodySchema>;

export const updateTaskBodySchema = z
  .object({
    title: titleSchema.optional(),
    description: descriptionSchema,
    completed: z.boolean({ error: 'Completed must be true or false' }).optional(),
  })
  .refine((body) => body.title !== undefined || body.description !== undefined || body.completed !== undefined, {
    message: 'Send at least one of title, description or completed',
    path: ['title'],
  });
export type UpdateTaskBody = z.infer<typeof updateTaskBodySchema>;

export const listTasksQuerySchema = z.object({
  status: z.enum(['all', 'pending', 'completed'], { error: 'Status must be all, pending or completed' }).default('all'),
  limit: wholeNumberParam(
    1,
    LIMITS.listLimitMax,
    LIMITS.listLimitDefault,
    `Limit must be a whole number from 1 to ${LIMITS.listLimitMax}`,
  ),
  offset: wholeNumberParam(0, Number.MAX_SAFE_INTEGER, 0, 'Offset must be a whole number, 0 or more'),
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

export const taskSchema = z.object({
  id: z.number().int(),
  user_id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  completed: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TaskJson = z.infer<typeof taskSchema>;

export const taskListSchema = z.array(taskSchema);
export const deletedSchema = z.object({ message: z.string() });
