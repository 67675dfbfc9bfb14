import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_STATUS_BY_CODE, OrchestratorError } from '../../shared/errors';

/** Every error leaves the service in one shape: {error, message, details: [{field, message}]}. */
export function toOrchestratorError(error: FastifyError | Error): OrchestratorError {
  if (error instanceof OrchestratorError) return error;
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new OrchestratorError('bad_request', `Malformed JSON body: ${error.message}`, [{ field: 'body', message: 'is not valid JSON' }]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new OrchestratorError('bad_request', 'Empty JSON body', [{ field: 'body', message: 'is required' }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new OrchestratorError('payload_too_large', error.message, [{ field: 'body', message: 'is too large' }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new OrchestratorError('bad_request', error.message, [{ field: 'Content-Type', message: 'must be application/json' }]);
  }
  if (error instanceof SyntaxError) return new OrchestratorError('bad_request', `Malformed JSON body: ${error.message}`, [{ field: 'body', message: 'is not valid JSON' }]);
  return new OrchestratorError('internal_error', 'Internal error');
}

export function errorHandler(debug: boolean) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const mapped = toOrchestratorError(error);
    if (mapped.code === 'internal_error') request.log.error({ err: error }, 'unhandled error');
    else if (debug) request.log.info({ code: mapped.code }, mapped.message);
    void reply.status(HTTP_STATUS_BY_CODE[mapped.code]).send(mapped.toJSON());
  };
}
