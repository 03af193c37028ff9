import type { z } from 'zod';

/**
 * Checks `input` against a request schema and names each failing field with its first issue's sentence:
 * the shape of an error body's `fields`, empty when the input is valid. Forms use it to say, before any
 * round trip, exactly what the API would say. A nested field is dotted (`a.b`), as the API names it.
 */
export function validateFields(schema: z.ZodType, input: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  const result = schema.safeParse(input);
  if (result.success) return fields;
  for (const issue of result.error.issues) {
    // An issue about the whole value (not an object at all) has an empty path.
    fields[issue.path.map(String).join('.') || 'body'] ??= issue.message;
  }
  return fields;
}
