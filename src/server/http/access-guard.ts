import type { FastifyReply, FastifyRequest } from 'fastify';
import { OrchestratorError } from '../../shared/errors';
import { tokenMatches } from '../../core/auth/api-token';

export interface AccessGuardOptions {
  token: string;
  /** host:port values a request may name in Host (and in Origin). */
  allowedHosts: Set<string>;
  /** Requests served without a token: liveness, docs and the web UI's static files. */
  isPublic: (request: FastifyRequest) => boolean;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The host:port names a client on this machine may use to reach a service bound to host:port. */
export function allowedHostsFor(host: string, port: number): Set<string> {
  const names = new Set([host.includes(':') && !host.startsWith('[') ? `[${host}]` : host]);
  if (['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(host)) for (const name of LOOPBACK_NAMES) names.add(name);
  return new Set([...names].map((name) => `${name}:${port}`));
}

/**
 * onRequest hook: a foreign Host or Origin is refused (DNS rebinding), then the bearer token is
 * required everywhere but the public paths.
 */
export function accessGuard(options: AccessGuardOptions) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const host = request.headers.host?.toLowerCase();
    if (!host || !options.allowedHosts.has(host)) {
      throw new OrchestratorError('forbidden', `Host "${host ?? ''}" is not allowed; use one of ${[...options.allowedHosts].join(', ')}`, [{ field: 'Host', message: 'not an allowed host' }]);
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      let originHost = '';
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        /* malformed: refused below */
      }
      if (!options.allowedHosts.has(originHost)) {
        throw new OrchestratorError('forbidden', `Origin "${origin}" is not allowed`, [{ field: 'Origin', message: 'cross-origin requests are refused' }]);
      }
    }
    if (options.isPublic(request)) return;
    const header = request.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!tokenMatches(options.token, given)) {
      throw new OrchestratorError('unauthorized', given ? 'Invalid bearer token' : 'Missing bearer token (Authorization: Bearer <token>)', [
        { field: 'Authorization', message: given ? 'token does not match' : 'is required' },
      ]);
    }
  };
}
