import type { FastifyReply, FastifyRequest } from 'fastify';
import { OrchestratorError } from '../../shared/errors';
import { tokenMatches } from '../../core/auth/api-token';
import type { TokenStore } from '../../core/auth/token-store';
import { scopeAllows, type TokenScope } from '../../shared/schemas/auth';
import { requiredScope } from './route-scopes';
import { authFailureLimiter } from './auth-failures';

/** Who a request acts as: the admin token, or a scoped token by its name (never its secret). */
export interface Principal {
  id: string | null;
  name: string;
  scope: TokenScope;
}
/**
 * How the audit and event logs name who acted: a scoped token by id, name and scope, so a token
 * named "admin" is never taken for the admin token; the admin token as such.
 */
export const principalLabel = (p: Principal): string => (p.id === null ? 'admin token' : `token ${p.id} "${p.name}" (${p.scope})`);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The admin token (api-token or API_TOKEN), else a scoped token of the store; null when neither matches. */
export function resolvePrincipal(adminToken: string, tokens: TokenStore | undefined, given: unknown): Principal | null {
  if (tokenMatches(adminToken, given)) return { id: null, name: 'admin', scope: 'admin' };
  const scoped = tokens?.verify(given);
  return scoped ? { id: scoped.id, name: scoped.name, scope: scoped.scope } : null;
}

/** Throws the shared 403, naming the scope `what` needs, unless the principal's scope allows it. */
export function requireScope(principal: Principal, need: TokenScope, what: string): void {
  if (!scopeAllows(principal.scope, need)) {
    throw new OrchestratorError('forbidden', `The token "${principal.name}" has scope ${principal.scope}; ${what} needs ${need}`, [{ field: 'scope', message: `needs ${need}` }]);
  }
}

export interface AccessGuardOptions {
  token: string;
  /** host:port values a request may name in Host (and in Origin). */
  allowedHosts: Set<string>;
  /** Requests served without a token: liveness, docs and the web UI's static files. */
  isPublic: (request: FastifyRequest) => boolean;
  /** The methods the path allows when the request's own is not one of them (405), else null. */
  allowedMethods?: (request: FastifyRequest) => string[] | null;
  /** Scoped tokens beside the admin token. */
  tokens?: TokenStore;
  /** Failed authentications per address (default: 10 a minute). */
  failures?: ReturnType<typeof authFailureLimiter>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The host:port names a client on this machine may use to reach a service bound to host:port. */
export function allowedHostsFor(host: string, port: number): Set<string> {
  const names = new Set([host.includes(':') && !host.startsWith('[') ? `[${host}]` : host]);
  if (['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(host)) for (const name of LOOPBACK_NAMES) names.add(name);
  return new Set([...names].map((name) => `${name}:${port}`));
}

/** RFC 6750: a 401 names the scheme the client must use. */
export const WWW_AUTHENTICATE = 'Bearer realm="mcp-cloud-orchestrator"';

const forbidden = (field: string, message: string, detail: string) => new OrchestratorError('forbidden', message, [{ field, message: detail }]);

/** Host exactly once, and a request target in origin form: anything else could route around the Host check. */
function checkRequestLine(request: FastifyRequest): void {
  const hostHeaders = request.raw.rawHeaders.filter((_value, index) => index % 2 === 0 && _value.toLowerCase() === 'host').length;
  if (hostHeaders > 1) throw new OrchestratorError('bad_request', 'The request has more than one Host header', [{ field: 'Host', message: 'must be sent exactly once' }]);
  if (!request.raw.url?.startsWith('/')) {
    throw new OrchestratorError('bad_request', 'The request target must be a path (origin form), not an absolute URL', [{ field: 'url', message: 'must start with "/"' }]);
  }
}

/** An Origin must be plain http://host:port of this service: no other scheme, no user info. */
function checkOrigin(origin: string, allowedHosts: Set<string>): void {
  let url: URL | null = null;
  try {
    url = new URL(origin);
  } catch {
    /* malformed: refused below */
  }
  const ok = url !== null && url.protocol === 'http:' && !url.username && !url.password && allowedHosts.has(url.host.toLowerCase());
  if (!ok) throw forbidden('Origin', `Origin "${origin}" is not allowed`, 'cross-origin requests are refused');
}

/**
 * onRequest hook: a foreign Host or Origin is refused (DNS rebinding), then the bearer token is
 * required everywhere but the public paths.
 */
export function accessGuard(options: AccessGuardOptions) {
  const failures = options.failures ?? authFailureLimiter();
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    checkRequestLine(request);
    const host = request.headers.host?.toLowerCase();
    if (!host || !options.allowedHosts.has(host)) {
      throw forbidden('Host', `Host "${host ?? ''}" is not allowed; use one of ${[...options.allowedHosts].join(', ')}`, 'not an allowed host');
    }
    if (request.headers.origin !== undefined) checkOrigin(request.headers.origin, options.allowedHosts);
    // Before the token: a method the path does not have is the same answer for everyone.
    const allowed = options.allowedMethods?.(request);
    if (allowed) {
      void reply.header('allow', allowed.join(', '));
      throw new OrchestratorError('method_not_allowed', `${request.method} is not allowed on ${request.url.split('?')[0]}; allowed: ${allowed.join(', ')}`, [{ field: 'method', message: `must be one of ${allowed.join(', ')}` }]);
    }
    if (options.isPublic(request)) return;
    // The scheme name is case-insensitive (RFC 9110 §11.1).
    const given = /^bearer +(.+)$/i.exec(request.headers.authorization ?? '')?.[1].trim();
    const principal = resolvePrincipal(options.token, options.tokens, given);
    if (!principal) {
      // Only failures are counted and held back: a valid token from the same address always passes.
      const wait = failures.retryAfter(request.ip);
      if (wait !== null) {
        void reply.header('retry-after', String(wait));
        throw new OrchestratorError('too_many_requests', `Too many failed authentications from ${request.ip}; try again in ${wait} s`, [{ field: 'Authorization', message: 'too many failures' }]);
      }
      failures.fail(request.ip);
      void reply.header('www-authenticate', given ? `${WWW_AUTHENTICATE}, error="invalid_token"` : WWW_AUTHENTICATE);
      throw new OrchestratorError('unauthorized', given ? 'Invalid bearer token' : 'Missing bearer token (Authorization: Bearer <token>)', [
        { field: 'Authorization', message: given ? 'token does not match' : 'is required' },
      ]);
    }
    request.principal = principal;
    // The scope check, for every route, here and nowhere else.
    requireScope(principal, requiredScope(request.method, request.routeOptions.url), `${request.method} ${request.routeOptions.url}`);
  };
}
