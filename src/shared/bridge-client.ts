import type { ApiErrorPayload, BridgeConnection, InvokeArg, InvokeChannel, InvokeResults, OrchestratorApi, PushEventName, PushEvents } from './api-contract';

export type { BridgeConnection, LinkState } from './api-contract';

/** An error answered by the core, with the REST error shape (field-level details). */
export class ApiError extends Error {
  constructor(readonly payload: ApiErrorPayload) {
    super(payload.message);
  }
}

/** What the client needs of a WebSocket: the browser's, Node's (22+) or the `ws` package's. */
export interface WebSocketLike {
  onopen: (() => void) | null;
  onmessage: ((message: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** How often the client asks the service for a sign of life once linked, and how long it waits to link. */
export interface BridgeTiming {
  /** A ping every this often; no frame at all from the service for two of them means the link is dead. */
  heartbeatMs: number;
  /** An attempt that is not linked (authenticated) within this is dropped and retried. */
  connectTimeoutMs: number;
}
const DEFAULT_TIMING: BridgeTiming = { heartbeatMs: 5000, connectTimeoutMs: 10_000 };

/**
 * The contract over the headless service's WebSocket bridge: `window.api` in the browser, and the
 * desktop app's link to a service it watches. Reconnects with back-off (0.5 s doubling to 10 s) and
 * re-authenticates; pending calls fail on disconnect; a refused token (4401) is not retried. A link
 * that goes silent (a sleeping laptop, a dropped route: no FIN ever arrives) is noticed by its
 * heartbeat and handled like a close, so nothing old is shown as live.
 */
export function createWebBridgeApi(
  url: string,
  token: string,
  onConnection?: (state: BridgeConnection) => void,
  Socket: WebSocketConstructor = globalThis.WebSocket as unknown as WebSocketConstructor,
  timing: BridgeTiming = DEFAULT_TIMING,
): OrchestratorApi & { dispose(): void } {
  const listeners = new Map<PushEventName, Set<(payload: never) => void>>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let socket: WebSocketLike | null = null;
  let ready: Promise<WebSocketLike> | null = null;
  let retryMs = 500;
  let disposed = false;

  const connect = (): Promise<WebSocketLike> =>
    (ready ??= new Promise<WebSocketLike>((resolve, reject) => {
      const ws = new Socket(url);
      let heard = Date.now();
      let heartbeat: ReturnType<typeof setInterval> | undefined;
      const connectTimer = setTimeout(() => lost(4408), timing.connectTimeoutMs);
      // Runs once per socket, on its close or when the heartbeat or the connect timer gives up on it.
      const lost = (code: number) => {
        if (ws.onclose === null) return;
        clearTimeout(connectTimer);
        clearInterval(heartbeat);
        ws.onopen = ws.onmessage = ws.onclose = null;
        // A silent peer never answers a close handshake: let the socket go and move on.
        if (code === 4408) ws.close(4408);
        socket = null;
        ready = null;
        for (const call of pending.values()) call.reject(new Error('connection to the service was lost'));
        pending.clear();
        if (code === 4401) {
          onConnection?.('unauthorized');
          return reject(new Error('the service refused the token'));
        }
        reject(new Error('cannot reach the service'));
        if (disposed) return;
        onConnection?.('closed');
        setTimeout(() => void (disposed ? null : connect().catch(() => {})), retryMs); // onConnection('open') tells the app to reload
        retryMs = Math.min(retryMs * 2, 10_000);
      };
      ws.onerror = () => {}; // a close follows, which is handled below
      ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
      ws.onmessage = (message) => {
        heard = Date.now();
        const data = JSON.parse(String(message.data));
        if (data.type === 'ready') {
          clearTimeout(connectTimer);
          heartbeat = setInterval(() => {
            if (Date.now() - heard > 2 * timing.heartbeatMs) return lost(4408);
            ws.send(JSON.stringify({ type: 'ping' }));
          }, timing.heartbeatMs);
          socket = ws;
          retryMs = 500;
          onConnection?.('open');
          resolve(ws);
        } else if (data.event) {
          for (const listener of listeners.get(data.event) ?? []) (listener as (p: unknown) => void)(data.payload);
        } else if (data.id !== undefined) {
          const call = pending.get(data.id);
          pending.delete(data.id);
          if (data.ok) call?.resolve(data.result);
          else call?.reject(new ApiError(data.error));
        }
      };
      ws.onclose = (event) => lost(event.code);
    }));

  const api: OrchestratorApi & { dispose(): void } = {
    dispose() {
      disposed = true;
      listeners.clear();
      void ready?.then((ws) => ws.close(1000), () => {});
    },
    async invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<InvokeResults[C]> {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, channel, arg }));
      });
    },
    on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      void connect().catch(() => {});
      return () => set.delete(listener as (payload: never) => void);
    },
  };
  return api;
}
