import { ApiError, createWebBridgeApi, type BridgeConnection, type LinkState, type WebSocketConstructor } from '../shared/bridge-client';
import { INVOKE_CHANNELS, type InvokeChannel, type OrchestratorApi } from '../shared/api-contract';
import { OrchestratorError, type ErrorCode } from '../shared/errors';
import type { ApiHandlers } from '../core/api/api-handlers';
import { Emitter } from '../core/util/emitter';

import { BoundedSocket, bridgeUrlFor } from '../core/peers/bridge-socket';

/** The service's answer, with its code and field details, as this process's error. */
function asOrchestratorError(error: unknown, url: string, link: LinkState): OrchestratorError {
  if (error instanceof ApiError) return new OrchestratorError(error.payload.error as ErrorCode, error.payload.message, error.payload.details);
  if (link.state === 'unauthorized') return new OrchestratorError('unauthorized', `The service at ${url} refused this app's token; set another in Settings`, [{ field: 'token', message: 'refused' }]);
  return new OrchestratorError('unavailable', `The service at ${url} cannot be reached: ${(error as Error).message}`, [{ field: 'service', message: 'unreachable' }]);
}

/**
 * The desktop app as a client of a headless service: the whole contract over the service's web
 * bridge (reconnecting with back-off), and the link's state with the time it last changed, so that
 * the tray and the window never show what the service said before a disconnect as live.
 */
export class WatchedService {
  readonly events = new Emitter<{ link: LinkState }>();
  readonly api: OrchestratorApi & { dispose(): void };
  #link: LinkState = { state: 'connecting', since: new Date().toISOString() };

  #dropped = 0;
  #droppedLogAt = 0;

  constructor(
    readonly url: string,
    token: string,
    Socket: WebSocketConstructor = BoundedSocket as unknown as WebSocketConstructor,
    private readonly log: (line: string) => void = console.error,
  ) {
    this.api = createWebBridgeApi(bridgeUrlFor(url), token, (state) => this.#set(state), Socket, undefined, (why) => this.#drop(why));
  }

  /** A frame the service should not have sent: logged, at most once a second however many come. */
  #drop(why: string): void {
    this.#dropped++;
    if (Date.now() - this.#droppedLogAt < 1000) return;
    this.#droppedLogAt = Date.now();
    this.log(`[watch] ${this.url} sent ${why}; dropped (${this.#dropped} dropped so far)`);
  }

  get link(): LinkState {
    return this.#link;
  }

  /** Every channel of the contract, forwarded; `local` answers the channels this app keeps itself. */
  handlers(local: Partial<ApiHandlers>): ApiHandlers {
    const forward = (channel: InvokeChannel) => async (arg: unknown) => {
      try {
        return await this.api.invoke(channel, arg as never);
      } catch (error) {
        throw asOrchestratorError(error, this.url, this.#link);
      }
    };
    return { ...Object.fromEntries(INVOKE_CHANNELS.map((channel) => [channel, forward(channel)])), ...local } as ApiHandlers;
  }

  close(): void {
    this.api.dispose();
  }

  #set(state: BridgeConnection): void {
    // A failed reconnection attempt is not a new outage: "since" stays when the outage began.
    if (state === this.#link.state) return;
    this.#link = { state, since: new Date().toISOString() };
    this.events.emit('link', this.#link);
  }
}

/**
 * Whether `token` opens the service's bridge, before the app is switched to watch it: null when it
 * does, else the field to blame (url: unreachable; token: refused) and why.
 */
export async function checkWatchable(url: string, token: string, timeoutMs = 5000, Socket?: WebSocketConstructor): Promise<{ field: 'url' | 'token'; message: string } | null> {
  const service = new WatchedService(url, token, Socket);
  try {
    const outcome = await new Promise<LinkState['state']>((resolve) => {
      const timer = setTimeout(() => resolve('closed'), timeoutMs);
      service.events.on('link', ({ state }) => (clearTimeout(timer), resolve(state)));
      service.api.on('status', () => {}); // connects
    });
    if (outcome === 'open') return null;
    if (outcome === 'unauthorized') return { field: 'token', message: 'the service refused this token (revoked, expired or mistyped)' };
    return { field: 'url', message: `no service answered at ${url} within ${timeoutMs / 1000} s` };
  } finally {
    service.close();
  }
}
