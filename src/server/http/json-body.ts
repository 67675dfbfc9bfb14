import type { FastifyInstance } from 'fastify';
import { parseJsonBytes } from '../../core/util/parse-json-bytes';

/** Bodies are JSON only (any other media type is a 415), parsed by the one strict JSON reader. */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBytes(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
