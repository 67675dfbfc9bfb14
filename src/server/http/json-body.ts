import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { OrchestratorError } from '../../shared/errors';
import { MAX_INPUT_DEPTH, nestsDeeperThan } from '../../core/util/json-depth';

const bad = (message: string, field: string, detail: string) => new OrchestratorError('bad_request', message, [{ field, message: detail }]);

/**
 * Parses a JSON body: valid UTF-8 (decoding would otherwise store bad bytes as U+FFFD without a
 * word), no prototype keys (named, rather than called malformed), and no deeper than we ever need.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw bad('Empty JSON body', 'body', 'is required');
  if (!isUtf8(body)) throw bad('The body is not valid UTF-8', 'body', 'must be UTF-8 encoded');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'), (key, v) => {
      if (key === '__proto__' || (key === 'constructor' && v !== null && typeof v === 'object' && Object.hasOwn(v, 'prototype'))) {
        throw new OrchestratorError('validation_error', `Invalid input — ${key}: is a forbidden key`, [{ field: key, message: 'is a forbidden key' }]);
      }
      return v;
    });
  } catch (error) {
    if (error instanceof OrchestratorError) throw error;
    throw bad(`Malformed JSON body: ${(error as Error).message}`, 'body', 'is not valid JSON');
  }
  if (nestsDeeperThan(value, MAX_INPUT_DEPTH)) throw bad(`The body nests deeper than ${MAX_INPUT_DEPTH} levels`, 'body', `must not nest deeper than ${MAX_INPUT_DEPTH} levels`);
  return value;
}

/** Bodies are JSON only: any other media type is a 415. */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
