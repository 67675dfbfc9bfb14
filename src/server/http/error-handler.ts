import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_STATUS_BY_CODE, OrchestratorError, type ErrorCode } from '../../shared/errors';
import { MAX_PATH_PARAM_LENGTH } from '../../shared/schemas/api';

const malformedJson = (error: Error) => new OrchestratorError('bad_request', `Malformed JSON body: ${error.message}`, [{ field: 'body', message: 'is not valid JSON' }]);

/** Errors of plugins (e.g. @fastify/static refusing "..") carry a 4xx status; keep it, in our shape. */
const CODE_BY_CLIENT_STATUS: Record<number, ErrorCode> = { 400: 'bad_request', 403: 'forbidden', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type' };

/** Every error leaves the service in one shape: {error, message, details: [{field, message}]}. */
export function toOrchestratorError(error: FastifyError | Error): OrchestratorError {
  if (error instanceof OrchestratorError) return error;
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return malformedJson(error);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new OrchestratorError('bad_request', 'Empty JSON body', [{ field: 'body', message: 'is required' }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new OrchestratorError('payload_too_large', error.message, [{ field: 'body', message: 'is too large' }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new OrchestratorError('unsupported_media_type', error.message, [{ field: 'Content-Type', message: 'must be application/json' }]);
    case 'FST_ERR_BAD_URL':
      return new OrchestratorError('bad_request', 'The URL has an invalid path component', [{ field: 'url', message: 'is not a valid URL' }]);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new OrchestratorError('validation_error', `Invalid input — a path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters`, [
        { field: 'path', message: `a path parameter must be at most ${MAX_PATH_PARAM_LENGTH} characters` },
      ]);
  }
  if (error instanceof SyntaxError) return malformedJson(error);
  const code = CODE_BY_CLIENT_STATUS[fastifyError.statusCode ?? 0];
  if (code) return new OrchestratorError(code, error.message, code === 'not_found' || code === 'forbidden' ? [{ field: 'url', message: error.message }] : []);
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

/** Requests Node's HTTP parser refuses (e.g. Content-Length with Transfer-Encoding) get our shape too. */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, string, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request_timeout', 'The request took too long to arrive']
    : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'headers_too_large', 'The request headers are too large']
    : [400, 'bad_request', `The HTTP request is malformed (${error.code ?? 'parse error'}: ${error.message})`];
  const body = JSON.stringify({ error: code, message, details: [{ field: 'request', message: 'is not valid HTTP/1.1' }] });
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };
