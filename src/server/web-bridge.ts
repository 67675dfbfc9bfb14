import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { OrchestratorError } from '../shared/errors';
import type { ApiErrorPayload } from '../shared/api-contract';
import { createApiHandlers, invokeHandler, subscribePushEvents, type ApiHandlers } from '../core/api/api-handlers';
import type { Core } from '../core/app-core';
import { CHANNEL_SCOPES, PUSH_SCOPES } from '../shared/channel-scopes';
import { scopeAllows } from '../shared/schemas/auth';
import { principalLabel, requireScope, resolvePrincipal, type Principal } from './http/access-guard';
import type { authFailureLimiter } from './http/auth-failures';
import { MAX_INPUT_DEPTH, nestsDeeperThan } from '../core/util/json-depth';
import { toOrchestratorError } from './http/error-handler';
import { viewForScope } from '../core/util/redaction';
import { livenessCheck, preAuthCounter, pushGate } from './bridge-limits';
import { BRIDGE_SUBPROTOCOL } from '../shared/bridge-client';

export const BRIDGE_PATH = '/bridge';
/** Bytes a client may send before it has authenticated: an auth frame is far smaller. */
export const BRIDGE_PREAUTH_LIMIT = 16 * 1024;
/** Frame size once authenticated (an import document may be large). */
export const BRIDGE_MAX_PAYLOAD = 4 * 1024 * 1024;

interface BridgeMessage {
  type?: unknown;
  token?: unknown;
  id?: unknown;
  channel?: unknown;
  arg?: unknown;
}

/** `Sec-WebSocket-Protocol: mco.bearer, <token>` → the token (browsers cannot set an Authorization header on an upgrade). */
function bearerFromSubprotocol(header: string | string[] | undefined): string | undefined {
  const offered = String(header ?? '').split(',').map((p) => p.trim());
  return offered[0] === BRIDGE_SUBPROTOCOL && offered[1] ? offered[1] : undefined;
}

/** Only a number or a short string is echoed back as a request id; anything else is dropped. */
const echoableId = (id: unknown): number | string | undefined =>
  (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= 64) ? id : undefined;

/**
 * The browser's `window.api`: the same contract as Electron IPC, over one WebSocket.
 * The token (the admin token or a scoped one) comes in the subprotocol (`mco.bearer`, then the token:
 * authenticated with the upgrade) or as the first message {type:"auth", token}; either is answered
 * with {type:"ready", principal:{name, scope}}; then {id, channel, arg} requests are answered with
 * {id, ok, result|error}, {type:"ping"} with {type:"pong"}, and core events are pushed as {event, payload} (health as columns,
 * src/shared/health-columns.ts). Channels and pushes follow the token's scope (channel-scopes.ts);
 * the socket is closed (4401) the moment its token is revoked or expires.
 */
export function registerWebBridge(app: FastifyInstance, core: Core, token: string, failures: ReturnType<typeof authFailureLimiter>): void {
  const waiting = preAuthCounter();
  app.get(BRIDGE_PATH, { websocket: true, schema: { hide: true } }, (socket: WebSocket, request: FastifyRequest) => {
    let unsubscribe: (() => void) | null = null;
    let session: { principal: Principal; handlers: ApiHandlers; unwatch: () => void } | null = null;
    // A client that carried its token in the subprotocol (bridge-client.ts) is authenticated with the
    // upgrade: it never waits among unauthenticated sockets, so no number of them can keep it out.
    const bearer = bearerFromSubprotocol(request.headers['sec-websocket-protocol']);
    // Sockets that have not authenticated are capped per address and in all, and cut off at the
    // timeout with terminate(): close() would wait 30 s for a close handshake that never comes.
    const release = bearer === undefined ? waiting.admit(request.ip) : () => {};
    if (!release) return socket.terminate();
    const authTimer = setTimeout(() => socket.terminate(), 5000);
    // ws buffers a whole frame (up to maxPayload) before we see it; count raw bytes so an
    // unauthenticated client is cut off after a few KiB instead.
    let preAuthBytes = 0;
    const tcp = request.raw.socket;
    const countPreAuth = (chunk: Buffer) => {
      preAuthBytes += chunk.length;
      if (preAuthBytes > BRIDGE_PREAUTH_LIMIT) {
        tcp.off('data', countPreAuth);
        socket.terminate();
      }
    };
    tcp.prependListener('data', countPreAuth);
    const send = (message: unknown) => void (socket.readyState === socket.OPEN && socket.send(JSON.stringify(message)));
    const pushes = pushGate(socket, send);
    const stopLiveness = livenessCheck(socket);
    // A protocol error or a reset connection ends this client only, never the process.
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      release();
      pushes.dispose();
      clearTimeout(authTimer);
      stopLiveness();
      tcp.off('data', countPreAuth);
      unsubscribe?.();
      session?.unwatch();
    });
    /** The token given, checked: the session begins, or the socket is closed (4401, or 4429 past the failure limit). */
    const authenticate = (given: unknown): void => {
      const principal = resolvePrincipal(token, core.tokens, given);
      if (!principal) {
        // The same failure limit as REST: only failures are counted, so a valid token always passes.
        if (failures.retryAfter(request.ip) !== null) return socket.close(4429, 'too many failed authentications');
        failures.fail(request.ip);
        return socket.close(4401, 'invalid token');
      }
      clearTimeout(authTimer);
      release();
      tcp.off('data', countPreAuth);
      const unwatch = principal.id ? core.tokens.watch(principal.id, () => socket.close(4401, 'token revoked or expired')) : () => {};
      session = { principal, handlers: createApiHandlers(core, `web-ui:${principalLabel(principal)}`, { name: principal.name, scope: principal.scope }), unwatch };
      // A peer monitor's link asks for the vantage push in its URL (?follow=vantage); windows do not get it.
      const vantage = new URL(request.url, 'http://bridge').searchParams.get('follow') === 'vantage';
      unsubscribe = subscribePushEvents(core, (event, payload) => scopeAllows(principal.scope, PUSH_SCOPES[event]) && pushes.push({ event, payload: viewForScope(payload, principal.scope) }), { vantage });
      send({ type: 'ready', principal: { name: principal.name, scope: principal.scope } });
    };
    if (bearer !== undefined) authenticate(bearer);
    socket.on('message', async (raw) => {
      let message: BridgeMessage;
      try {
        message = JSON.parse(String(raw));
      } catch {
        return socket.close(4400, 'malformed message');
      }
      if (!message || typeof message !== 'object' || Array.isArray(message)) return socket.close(4400, 'a message must be a JSON object');
      // Deep nesting would overflow the stack in validation or in the error path: refuse it first.
      if (nestsDeeperThan(message, MAX_INPUT_DEPTH)) return socket.close(4400, `a message must not nest deeper than ${MAX_INPUT_DEPTH} levels`);
      if (!session) return authenticate(message.type === 'auth' ? message.token : null);
      // The client's heartbeat (shared/bridge-client.ts): any answer tells it the link is alive.
      if (message.type === 'ping') return send({ type: 'pong' });
      const id = echoableId(message.id);
      try {
        const channel = message.channel as keyof typeof CHANNEL_SCOPES;
        // An unknown channel is refused by invokeHandler, with its own message.
        if (Object.hasOwn(CHANNEL_SCOPES, channel)) requireScope(session.principal, CHANNEL_SCOPES[channel], channel);
        const result = await invokeHandler(session.handlers, message.channel as never, message.arg);
        send({ id, ok: true, result: viewForScope(result, session.principal.scope) });
      } catch (error) {
        const mapped = error instanceof OrchestratorError ? error : toOrchestratorError(error as Error);
        const payload: ApiErrorPayload = mapped.toJSON();
        send({ id, ok: false, error: payload });
      }
    });
  });
}
