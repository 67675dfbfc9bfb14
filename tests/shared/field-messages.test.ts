import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrors } from '../../src/shared/errors';
import { NodeSchema } from '../../src/shared/schemas/node';
import { nodeInput } from '../helpers/nodes';

// Issue 40, item 13: every field error reads as a sentence a person wrote, with a code to translate it by.
const errorsOf = (schema: z.ZodType, input: unknown) => fieldErrors(schema.safeParse(input).error!, '', input);

describe('field errors people read', () => {
  it('says what a field needs, never zod\'s "Invalid input: expected number, received NaN"', () => {
    const schema = z.object({ port: z.int(), name: z.string().min(2), size: z.number().max(10), kind: z.enum(['a', 'b']), when: z.iso.datetime(), list: z.array(z.string()).min(1), on: z.boolean() });
    const errors = errorsOf(schema, { port: Number.NaN, name: 'x', size: 11, kind: 'c', when: 'soon', list: [], on: 'yes' });
    expect(errors).toEqual([
      { field: 'port', message: 'must be a number', code: 'type_number', params: { expected: 'number' } },
      { field: 'name', message: 'must be at least 2 characters', code: 'string_min', params: { min: 2 } },
      { field: 'size', message: 'must be at most 10', code: 'number_max', params: { max: 10 } },
      { field: 'kind', message: 'must be one of a, b', code: 'one_of', params: { values: 'a, b' } },
      { field: 'when', message: 'must be an ISO 8601 date and time', code: 'format_datetime' },
      { field: 'list', message: 'needs at least one entry', code: 'list_empty' },
      { field: 'on', message: 'must be true or false', code: 'type_boolean', params: { expected: 'boolean' } },
    ]);
    for (const e of errors) expect(e.message).toMatch(/^[a-z]/);
  });

  it('keeps a schema\'s own message, without a code (it is not the general text)', () => {
    const errors = errorsOf(NodeSchema, { ...nodeInput('n1'), probes: [{ type: 'tcp', port: Number.NaN }], cpu_cores: 0 });
    expect(errors).toEqual(expect.arrayContaining([{ field: 'probes.0.port', message: 'must be a number', code: 'type_number', params: { expected: 'number' } }]));
    const cores = errors.find((e) => e.field === 'cpu_cores')!;
    expect(cores.message).toMatch(/^must be/);
  });

  it('names a missing field as required and an unknown one as unknown', () => {
    expect(errorsOf(z.strictObject({ a: z.string() }), { b: 1 })).toEqual([
      { field: 'a', message: 'is required', code: 'required' },
      { field: 'b', message: 'is not a known field', code: 'unknown_field' },
    ]);
  });
});
