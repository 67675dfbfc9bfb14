import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { OrchestratorError } from '../shared/errors';
import type { ApiErrorPayload } from '../shared/api-contract';
import { createApiHandlers, invokeHandler, subscribePushEvents } from '../core/api/api-handlers';
import { tokenMatches } from '../core/auth/api-token';
import type { Core } from '../core/app-core';
import { toOrchestratorError } from './http/error-handler';

export const BRIDGE_PATH = '/bridge';

/**
 * The browser's `window.api`: the same contract as Electron IPC, over one WebSocket.
 * The first message must be {type:"auth", token}; then {id, channel, arg} requests are answered with
 * {id, ok, result|error}, and core events are pushed as {event, payload}.
 */
export function registerWebBridge(app: FastifyInstance, core: Core, token: string): void {
  const handlers = createApiHandlers(core, 'web-ui');
  app.get(BRIDGE_PATH, { websocket: true, schema: { hide: true } }, (socket: WebSocket) => {
    let unsubscribe: (() => void) | null = null;
    const authTimer = setTimeout(() => socket.close(4401, 'authentication timeout'), 5000);
    const send = (message: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(message));
    socket.on('close', () => {
      clearTimeout(authTimer);
      unsubscribe?.();
    });
    socket.on('message', async (raw) => {
      let message: { type?: string; token?: string; id?: number; channel?: string; arg?: unknown };
      try {
        message = JSON.parse(String(raw));
      } catch {
        return socket.close(4400, 'malformed message');
      }
      if (!message || typeof message !== 'object' || Array.isArray(message)) return socket.close(4400, 'a message must be a JSON object');
      if (!unsubscribe) {
        if (message.type !== 'auth' || !tokenMatches(token, message.token)) return socket.close(4401, 'invalid token');
        clearTimeout(authTimer);
        unsubscribe = subscribePushEvents(core, (event, payload) => send({ event, payload }));
        return send({ type: 'ready' });
      }
      try {
        const result = await invokeHandler(handlers, message.channel as never, message.arg);
        send({ id: message.id, ok: true, result });
      } catch (error) {
        const mapped = error instanceof OrchestratorError ? error : toOrchestratorError(error as Error);
        const payload: ApiErrorPayload = mapped.toJSON();
        send({ id: message.id, ok: false, error: payload });
      }
    });
  });
}
