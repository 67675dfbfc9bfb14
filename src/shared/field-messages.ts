import { z } from 'zod';

/** What a person reads for a zod issue whose schema gave no message of its own, and how to translate it. */
export interface IssueText {
  /** A sentence about the field: "must be a number", "must be at least 1". */
  message: string;
  /** A stable key for translation (the window's catalogue has `validation.<code>`), with its values. */
  code: string;
  params?: Record<string, string | number>;
}

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = { number: 'a number', int: 'a whole number', string: 'text', boolean: 'true or false', array: 'a list', object: 'an object', date: 'a date' };
const FORMAT_NAMES: Record<string, string> = { email: 'an email address', url: 'a URL', datetime: 'an ISO 8601 date and time', uuid: 'a UUID', ipv4: 'an IPv4 address', ipv6: 'an IPv6 address' };

/**
 * zod's own texts ("Invalid input: expected number, received NaN", "Too small: expected string to
 * have >=1 characters") are for programmers. Every face shows field errors to people, so each issue
 * without a message from its schema reads as a sentence instead, with a code to translate it by.
 */
export function describeIssue(issue: RawIssue): IssueText {
  const limit = (key: 'minimum' | 'maximum') => Number((issue as { [k: string]: unknown })[key]);
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return { message: 'is required', code: 'required' };
      const expected = String(issue.expected);
      return { message: `must be ${TYPE_NAMES[expected] ?? expected}`, code: `type_${TYPE_NAMES[expected] ? expected : 'other'}`, params: { expected } };
    }
    case 'too_small': {
      const min = limit('minimum');
      if (issue.origin === 'string') return min === 1 ? { message: 'must not be empty', code: 'empty' } : { message: `must be at least ${min} characters`, code: 'string_min', params: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return min === 1 ? { message: 'needs at least one entry', code: 'list_empty' } : { message: `needs at least ${min} entries`, code: 'list_min', params: { min } };
      return issue.inclusive === false ? { message: `must be more than ${min}`, code: 'number_above', params: { min } } : { message: `must be at least ${min}`, code: 'number_min', params: { min } };
    }
    case 'too_big': {
      const max = limit('maximum');
      if (issue.origin === 'string') return { message: `must be at most ${max} characters`, code: 'string_max', params: { max } };
      if (issue.origin === 'array' || issue.origin === 'set') return { message: `must list at most ${max} entries`, code: 'list_max', params: { max } };
      return issue.inclusive === false ? { message: `must be less than ${max}`, code: 'number_below', params: { max } } : { message: `must be at most ${max}`, code: 'number_max', params: { max } };
    }
    case 'invalid_format': {
      const format = String(issue.format);
      if (FORMAT_NAMES[format]) return { message: `must be ${FORMAT_NAMES[format]}`, code: `format_${format}` };
      return { message: 'is not in the expected form', code: 'format_other', params: { format } };
    }
    case 'invalid_value': {
      const values = (issue.values as unknown[]).map((v) => String(v)).join(', ');
      return { message: `must be one of ${values}`, code: 'one_of', params: { values } };
    }
    case 'not_multiple_of':
      return { message: `must be a multiple of ${String(issue.divisor)}`, code: 'multiple_of', params: { divisor: Number(issue.divisor) } };
    case 'unrecognized_keys':
      return { message: 'is not a known field', code: 'unknown_field' };
    case 'invalid_union':
      return { message: 'does not match any of the allowed forms', code: 'union' };
    default:
      return { message: 'is not valid', code: 'invalid' };
  }
}

// Installed once, where errors are formatted (errors.ts imports this): a schema's own message still wins.
z.config({ customError: (issue) => describeIssue(issue).message });
