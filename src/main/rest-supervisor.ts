// The desktop app's optional REST API, kept from taking the app down: when its port is taken (or it
// fails to start for any reason) the app runs without it, says why, and tries again later, instead of
// exiting at every launch with the setting that would turn it off out of reach.

export interface RestHandle {
  url: string;
  close(): Promise<void>;
}

export interface RestSupervisorDeps {
  start(): Promise<RestHandle>;
  /** Said once per distinct failure (a notification, the event log). */
  onFailure(message: string, retryInS: number): void;
  onStarted(url: string): void;
  retryMs: number;
}

export class RestSupervisor {
  #handle: RestHandle | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #lastError: string | null = null;

  constructor(private readonly deps: RestSupervisorDeps) {}

  /** Why the REST API is not running, or null (running, or not asked for). */
  get error(): string | null {
    return this.#handle ? null : this.#lastError;
  }

  async start(): Promise<void> {
    if (this.#closed || this.#handle) return;
    try {
      this.#handle = await this.deps.start();
      this.#lastError = null;
      this.deps.onStarted(this.#handle.url);
    } catch (error) {
      const message = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port in use: ${(error as Error).message}` : (error as Error).message;
      if (message !== this.#lastError) this.deps.onFailure(message, Math.round(this.deps.retryMs / 1000));
      this.#lastError = message;
      if (this.#closed) return;
      this.#timer = setTimeout(() => void this.start(), this.deps.retryMs);
      this.#timer.unref();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#handle?.close();
    this.#handle = null;
  }
}
