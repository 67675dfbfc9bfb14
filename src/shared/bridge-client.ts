import type { ApiErrorPayload, BridgeConnection, InvokeArg, InvokeChannel, InvokeResults, OrchestratorApi, PushEventName, PushEvents } from './api-contract';
import { BRIDGE_MAX_FRAME_BYTES, SERVICE_PUSH_SCHEMAS } from './schemas/push';

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
export type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike;

/**
 * The token travels in the WebSocket subprotocol (`mco.bearer`, then the token): a browser cannot set
 * an Authorization header on the upgrade, and a query string ends up in logs. The service selects
 * `mco.bearer` and never echoes the token; the client is authenticated with the upgrade itself.
 */
export const BRIDGE_SUBPROTOCOL = 'mco.bearer';
/** A token that is not a valid subprotocol (an admin token of any characters) authenticates with its first message instead. */
const SUBPROTOCOL_SAFE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Why a frame from the service was dropped (logged by the caller; the link goes on). */
export type DropReport = (why: string) => void;

type Frame =
  | { kind: 'ready' }
  | { kind: 'push'; event: keyof typeof SERVICE_PUSH_SCHEMAS; payload: unknown }
  | { kind: 'answer'; id: number; ok: true; result: unknown }
  | { kind: 'answer'; id: number; ok: false; error: ApiErrorPayload }
  | { kind: 'pong' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** The values of an error's sentence: strings and numbers only, a few of them. */
const isParams = (value: unknown): value is Record<string, string | number> =>
  isObject(value) && Object.keys(value).length <= 16 && Object.values(value).every((v) => typeof v === 'number' || (typeof v === 'string' && v.length <= 2000));

/**
 * A frame from the service, read as hostile: too large, not JSON, not an object, a push of an unknown
 * event or whose payload does not fit its schema, or an answer without a well-formed error is a
 * string saying why, never an exception.
 */
export function readFrame(data: unknown): Frame | string {
  const raw = typeof data === 'string' ? data : String(data);
  if (raw.length > BRIDGE_MAX_FRAME_BYTES) return `a frame of ${raw.length} characters (more than ${BRIDGE_MAX_FRAME_BYTES})`;
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return 'a frame that is not JSON';
  }
  if (!isObject(message)) return 'a frame that is not a JSON object';
  if (message.type === 'ready') return { kind: 'ready' };
  if (message.type === 'pong') return { kind: 'pong' };
  if (typeof message.event === 'string') {
    const schema = Object.hasOwn(SERVICE_PUSH_SCHEMAS, message.event) ? SERVICE_PUSH_SCHEMAS[message.event as keyof typeof SERVICE_PUSH_SCHEMAS] : undefined;
    if (!schema) return `a push of an unknown event (${message.event.slice(0, 40)})`;
    const parsed = schema.safeParse(message.payload);
    if (!parsed.success) return `a ${message.event} push that does not fit its schema (${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message})`;
    return { kind: 'push', event: message.event as keyof typeof SERVICE_PUSH_SCHEMAS, payload: parsed.data };
  }
  if (typeof message.id === 'number') {
    if (message.ok === true) return { kind: 'answer', id: message.id, ok: true, result: message.result };
    const error = message.error;
    if (isObject(error) && typeof error.error === 'string' && typeof error.message === 'string') {
      const details = Array.isArray(error.details) ? error.details.filter((d): d is { field: string; message: string } => isObject(d) && typeof d.field === 'string' && typeof d.message === 'string') : [];
      const reason = typeof error.reason_code === 'string' ? { reason_code: error.reason_code, ...(isParams(error.reason_params) ? { reason_params: error.reason_params } : {}) } : {};
      return { kind: 'answer', id: message.id, ok: false, error: { error: error.error, message: error.message, details, ...reason } };
    }
    return { kind: 'answer', id: message.id, ok: false, error: { error: 'bad_gateway', message: 'the service answered with a malformed error', details: [] } };
  }
  return 'a frame that is neither an answer nor a push';
}

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
  onDrop: DropReport = (why) => console.warn(`[bridge] dropped ${why}`),
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
      const inProtocol = SUBPROTOCOL_SAFE.test(token);
      const ws = inProtocol ? new Socket(url, [BRIDGE_SUBPROTOCOL, token]) : new Socket(url);
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
      ws.onopen = () => (inProtocol ? undefined : ws.send(JSON.stringify({ type: 'auth', token })));
      ws.onmessage = (message) => {
        heard = Date.now();
        const data = readFrame(message.data);
        if (typeof data === 'string') return onDrop(data);
        if (data.kind === 'ready') {
          clearTimeout(connectTimer);
          heartbeat = setInterval(() => {
            if (Date.now() - heard > 2 * timing.heartbeatMs) return lost(4408);
            ws.send(JSON.stringify({ type: 'ping' }));
          }, timing.heartbeatMs);
          socket = ws;
          retryMs = 500;
          onConnection?.('open');
          resolve(ws);
        } else if (data.kind === 'push') {
          for (const listener of listeners.get(data.event) ?? []) {
            try {
              (listener as (p: unknown) => void)(data.payload);
            } catch (error) {
              onDrop(`a ${data.event} push its listener failed on: ${(error as Error).message}`);
            }
          }
        } else if (data.kind === 'answer') {
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
