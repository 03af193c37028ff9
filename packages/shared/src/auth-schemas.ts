import { z } from 'zod';
import { emailSchema, signInEmailSchema } from './email.js';
import { LIMITS } from './limits.js';
import {
  codePointLength,
  hasNoControlCharacter,
  hasVisibleCharacter,
  maxCodePoints,
  textField,
  wholeNumberParam,
} from './text.js';

const PASSWORD_TOO_SHORT = `Password must be at least ${LIMITS.passwordMin} characters`;

// Length in code points, as people count; whether it is too common is the API's check.
function newPasswordSchema() {
  return textField(PASSWORD_TOO_SHORT, 'Password must be text')
    .refine((value) => codePointLength(value) >= LIMITS.passwordMin, PASSWORD_TOO_SHORT)
    .refine(maxCodePoints(LIMITS.passwordMax), `Password must be ${LIMITS.passwordMax} characters or less`);
}

function nameSchema() {
  return textField('Name is required', 'Name must be text')
    .trim()
    .min(1, 'Name is required')
    .refine((value) => hasNoControlCharacter(value), 'Name must not contain control characters')
    .refine(hasVisibleCharacter, 'Name is required')
    .refine(maxCodePoints(LIMITS.nameMax), `Name must be ${LIMITS.nameMax} characters or less`);
}

export const signUpBodySchema = z.object({
  name: nameSchema(),
  email: emailSchema,
  password: newPasswordSchema(),
});
export type SignUpBody = z.infer<typeof signUpBodySchema>;

/** PATCH /api/auth/me: the name, by signup's rules. */
export const updateProfileBodySchema = z.object({ name: nameSchema() });
export type UpdateProfileBody = z.infer<typeof updateProfileBodySchema>;

export const signInBodySchema = z.object({
  email: signInEmailSchema,
  password: textField('Password is required', 'Password must be text').min(1, 'Password is required'),
});
export type SignInBody = z.infer<typeof signInBodySchema>;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  created_at: z.string(),
});
export type UserJson = z.infer<typeof userSchema>;

export const authResultSchema = z.object({
  user: userSchema,
  token: z.string(),
  expires_at: z.string(),
});
export type AuthResult = z.infer<typeof authResultSchema>;

export const meSchema = z.object({ user: userSchema });

export const messageSchema = z.object({ message: z.string() });

export const sessionSchema = z.object({
  id: z.string(),
  created_at: z.string(),
  last_seen_at: z.string(),
  expires_at: z.string(),
  user_agent: z.string().nullable(),
  ip: z.string().nullable(),
  /** True for the session that made this request. */
  current: z.boolean(),
});
export type SessionJson = z.infer<typeof sessionSchema>;

export const sessionPathSchema = z.object({
  sessionId: z
    .string()
    .refine((value) => hasNoControlCharacter(value), 'Session id must not contain control characters'),
});

export const signOutAllBodySchema = z.object({
  keep_current: z.boolean({ error: 'keep_current must be true or false' }).default(false),
});

export const NEW_PASSWORD_UNCHANGED = 'The new password must differ from the current one';

export const changePasswordBodySchema = z
  .object({
    current_password: textField('Current password is required', 'Current password must be text').min(
      1,
      'Current password is required',
    ),
    new_password: newPasswordSchema(),
  })
  // Compared as the API hashes them (NFKC), so retyping the same password in full-width is no change
  // either; refused without hashing anything, since hashes are what the endpoint must spend sparingly.
  .refine((body) => body.new_password.normalize('NFKC') !== body.current_password.normalize('NFKC'), {
    path: ['new_password'],
    message: NEW_PASSWORD_UNCHANGED,
  });
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

export const deleteAccountBodySchema = z.object({
  password: textField('Password is required', 'Password must be text').min(1, 'Password is required'),
});

export const authEventSchema = z.object({
  id: z.number().int(),
  event: z.string(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
  created_at: z.string(),
});

export const listEventsQuerySchema = z.object({
  limit: wholeNumberParam(
    1,
    LIMITS.listLimitMax,
    LIMITS.listLimitDefault,
    `Limit must be a whole number from 1 to ${LIMITS.listLimitMax}`,
  ),
});
