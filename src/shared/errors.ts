import type { z } from 'zod';
import type { FieldError } from './schemas/seed-format';
import { describeIssue } from './field-messages';

// One error type for every face (IPC, REST, MCP): the code picks the HTTP status, details name fields.
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation_error'
  | 'too_many_requests'
  | 'unavailable'
  | 'insufficient_storage'
  | 'internal_error';

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  too_many_requests: 429,
  unavailable: 503,
  insufficient_storage: 507,
  internal_error: 500,
};

/** What a failure was, for a client to say it in its own language: a code and the values its sentence names. */
export interface ErrorReason {
  code: string;
  params?: Record<string, string | number>;
}

export class OrchestratorError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: FieldError[] = [],
    readonly reason?: ErrorReason,
  ) {
    super(message);
    this.name = 'OrchestratorError';
  }

  toJSON(): { error: ErrorCode; message: string; details: FieldError[]; reason_code?: string; reason_params?: Record<string, string | number> } {
    return { error: this.code, message: this.message, details: this.details, ...(this.reason ? { reason_code: this.reason.code, ...(this.reason.params ? { reason_params: this.reason.params } : {}) } : {}) };
  }
}

/** Turns zod issues into `{field, message}` pairs, with dotted paths like `probes.0.port`. */
export function fieldErrors(error: z.ZodError, prefix = '', input?: unknown): FieldError[] {
  // A key that is empty or not a plain name (spaces, dots…) is quoted, so the field is always visible.
  const segment = (key: PropertyKey) => (typeof key === 'string' && !/^[A-Za-z0-9_:-]+$/.test(key) ? JSON.stringify(key) : String(key));
  return error.issues.flatMap((issue) => {
    const at = (extra: string[]) => [prefix, ...issue.path.map(segment), ...extra.map(segment)].filter(Boolean).join('.') || '(root)';
    // An unknown key is reported on the key itself, so the client sees which field to drop.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: at([key]), message: 'is not a known field', code: 'unknown_field' }));
    // A missing field reads the same whatever its schema says about wrong values.
    if (input !== undefined && issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(input, issue.path) === undefined) return [{ field: at([]), message: 'is required', code: 'required' }];
    // A message of the general kind carries its code, so a window in another language can say it there.
    const general = describeIssue({ ...issue, input: input === undefined ? null : valueAt(input, issue.path) } as never);
    return [general.message === issue.message ? { field: at([]), message: issue.message, code: general.code, ...(general.params ? { params: general.params } : {}) } : { field: at([]), message: issue.message }];
  });
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `input`, when given, lets a missing field be told apart from a wrong one ("is required"). */
export function validationError(error: z.ZodError, prefix = '', input?: unknown): OrchestratorError {
  const details = fieldErrors(error, prefix, input);
  const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return new OrchestratorError('validation_error', `Invalid input — ${summary}`, details);
}

/** Parses with a schema, throwing an OrchestratorError that names each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, prefix, input);
  return result.data;
}

export const notFound = (what: string, id: string): OrchestratorError =>
  new OrchestratorError('not_found', `${what} "${id}" not found`, [{ field: 'id', message: `no ${what.toLowerCase()} with id "${id}"` }]);
