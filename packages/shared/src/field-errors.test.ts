import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { validateFields } from './field-errors.js';

const schema = z.object({
  name: z.string('Name must be text').min(1, 'Name is required').min(3, 'Name is too short'),
  address: z.object({ city: z.string('City must be text') }),
});

describe('validateFields', () => {
  it('is empty for valid input', () => {
    expect(validateFields(schema, { name: 'Ada', address: { city: 'London' } })).toEqual({});
  });

  it('keeps only the first sentence for each field and dots a nested field', () => {
    expect(validateFields(schema, { name: '', address: {} })).toEqual({
      name: 'Name is required',
      'address.city': 'City must be text',
    });
  });

  it('names the body when the input is not an object at all', () => {
    expect(Object.keys(validateFields(schema, 'text'))).toEqual(['body']);
  });
});
