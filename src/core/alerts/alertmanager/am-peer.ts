import type { AmAlert } from './am-alert';

export interface PeerState {
  url: string;
  status: 'idle' | 'ok' | 'failing';
  consecutive_failures: number;
  last_success_at: string | null;
  last_error: string | null;
  sent: number;
  failed: number;
}

export interface AmPeerOptions {
  /** What to send now (the whole current picture: every send is complete, so none can be lost). */
  batch: () => AmAlert[];
  /** Sends one batch to one peer; rejects on any failure. */
  post: (url: string, alerts: AmAlert[]) => Promise<void>;
  resendMs: number;
  /** First retry after a failure; doubles up to resendMs. */
  retryBaseMs: number;
  onResult: (peer: PeerState, error: string | null) => void;
}

/**
 * `http://am:9093` or `http://host/alertmanager/` → an endpoint under it. User info in a peer's URL
 * (an Alertmanager behind a proxy with basic auth) leaves the URL and is sent as Basic auth, as
 * Prometheus's basic_auth does: an HTTP client sends no credentials from a URL by itself.
 */
export function endpoint(base: string, path: string): { url: string; headers: Record<string, string> } {
  const root = new URL(base);
  if (!root.pathname.endsWith('/')) root.pathname += '/';
  const u = new URL(path, root);
  // A query on the peer's URL (a proxy's token) goes with every request under it.
  u.search = root.search;
  if (!u.username && !u.password) return { url: u.toString(), headers: {} };
  const credentials = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = '';
  u.password = '';
  return { url: u.toString(), headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

/**
 * One Alertmanager peer: gets the current alerts whenever they change, again every resend interval
 * while anything is to be said, and after a failure again with doubling waits. A peer that is down
 * holds up no other (each peer has its own loop, as Prometheus sends to each).
 */
export class AmPeer {
  readonly state: PeerState;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #inFlight = false;
  #again = false;
  #closed = false;

  constructor(url: string, private readonly options: AmPeerOptions) {
    this.state = { url, status: 'idle', consecutive_failures: 0, last_success_at: null, last_error: null, sent: 0, failed: 0 };
  }

  /** Something changed: send now (or right after the send on its way). */
  kick(): void {
    if (this.#closed) return;
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    void this.#send();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #send(): Promise<void> {
    this.#inFlight = true;
    let delay = this.options.resendMs;
    const alerts = this.options.batch();
    if (alerts.length > 0) {
      try {
        await this.options.post(this.state.url, alerts);
        Object.assign(this.state, { status: 'ok', consecutive_failures: 0, last_success_at: new Date().toISOString(), last_error: null, sent: this.state.sent + 1 });
        this.options.onResult(this.state, null);
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        Object.assign(this.state, { status: 'failing', consecutive_failures: this.state.consecutive_failures + 1, last_error: message, failed: this.state.failed + 1 });
        delay = Math.min(this.options.retryBaseMs * 2 ** (this.state.consecutive_failures - 1), this.options.resendMs);
        this.options.onResult(this.state, message);
      }
    }
    this.#inFlight = false;
    if (this.#closed) return;
    if (this.#again) {
      this.#again = false;
      return void this.#send();
    }
    this.#timer = setTimeout(() => void this.#send(), delay);
    this.#timer.unref?.();
  }
}
