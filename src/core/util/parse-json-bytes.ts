import { isUtf8 } from 'node:buffer';
import { OrchestratorError } from '../../shared/errors';
import { MAX_INPUT_DEPTH, nestsDeeperThan } from './json-depth';

/**
 * Parses JSON that arrived as bytes (a request body, a file): it must be valid UTF-8 (decoding would
 * otherwise store bad bytes as U+FFFD without a word), carry no prototype keys (named, rather than
 * called malformed), and nest no deeper than any input we accept. Errors name `field`.
 */
export function parseJsonBytes(bytes: Buffer, field = 'body', what = 'The body'): unknown {
  const bad = (message: string, detail: string) => new OrchestratorError('bad_request', message, [{ field, message: detail }]);
  if (bytes.length === 0) throw bad(`${what} is empty`, 'is required');
  if (!isUtf8(bytes)) throw bad(`${what} is not valid UTF-8`, 'must be UTF-8 encoded');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw bad(`${what} is not valid JSON: ${(error as Error).message}`, 'is not valid JSON');
  }
  // Valid JSON of a shape we refuse: 422 with the field, like a forbidden key (README, SECURITY.md).
  if (nestsDeeperThan(value, MAX_INPUT_DEPTH)) throw new OrchestratorError('validation_error', `${what} nests deeper than ${MAX_INPUT_DEPTH} levels`, [{ field, message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels` }]);
  const forbidden = forbiddenKey(value);
  if (forbidden) throw new OrchestratorError('validation_error', `Invalid input — ${forbidden}: is a forbidden key`, [{ field: forbidden, message: 'is a forbidden key' }]);
  return value;
}

/** A key that could reach an object's prototype if the value were ever merged (depth is bounded by now). */
function forbiddenKey(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (key === '__proto__' || (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'))) return key;
    const inner = forbiddenKey(child);
    if (inner) return inner;
  }
  return null;
}
