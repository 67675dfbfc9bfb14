import type { AlertChannel, AlertPayload, ChannelDelivery } from '../../shared/schemas/alerts';
import type { ChannelSender } from './channel-sender';
import { scrubSecrets } from '../util/redaction';

export interface DeliveryPolicy {
  /** Attempts per message, the first included. */
  attempts: number;
  /** Wait before retry n (1-based): baseDelayMs × 3^(n-1). */
  baseDelayMs: number;
  /** Deadline of one attempt (connect, send, answer). */
  timeoutMs: number;
  /** Messages waiting per channel; beyond it the oldest is dropped, and that is reported. */
  maxQueue: number;
}

export const DEFAULT_DELIVERY: DeliveryPolicy = { attempts: 4, baseDelayMs: 2000, timeoutMs: 10_000, maxQueue: 100 };
/** A test is one attempt that answers soon: a person is waiting, and retries belong to real alerts. */
export const TEST_TIMEOUT_MS = 5000;

export const DELIVERY_OUTCOMES = ['sent', 'retried', 'failed', 'dropped'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export interface DeliveryResult {
  channel_id: string;
  ok: boolean;
  attempts: number;
  error: string | null;
}

interface Job {
  channel: AlertChannel;
  payload: AlertPayload;
  done: (result: DeliveryResult) => void;
}

interface Lane {
  jobs: Job[];
  running: boolean;
  state: ChannelDelivery;
}

const idle = (): ChannelDelivery => ({ status: 'idle', sent: 0, failed: 0, retries: 0, pending: 0, consecutive_failures: 0, last_success_at: null, last_failure: null });

/**
 * Sends alerts to channels off the monitor's path: each channel has its own queue, worked one
 * message at a time (so "down" arrives before "recovered"), retried with backoff a bounded number
 * of times. Every end — sent, failed after retries, dropped from a full queue — is reported.
 */
export class AlertDelivery {
  readonly #lanes = new Map<string, Lane>();
  /** Ends the backoff waits at once (close). */
  readonly #wakers = new Set<() => void>();
  #closed = false;

  constructor(
    private readonly send: ChannelSender,
    private readonly policy: DeliveryPolicy,
    private readonly onOutcome: (channel: AlertChannel, outcome: DeliveryOutcome, payload: AlertPayload, error: string | null, attempts: number) => void,
  ) {}

  /** Queues a message and returns at once; the promise settles when it is sent or given up (never rejects). */
  deliver(channel: AlertChannel, payload: AlertPayload): Promise<DeliveryResult> {
    return new Promise((done) => {
      if (this.#closed) return done({ channel_id: channel.id, ok: false, attempts: 0, error: 'alert delivery is stopped' });
      const lane = this.#lane(channel.id);
      lane.jobs.push({ channel, payload, done });
      if (lane.jobs.length > this.policy.maxQueue) {
        // Never the one being sent (jobs[0] while running). A test goes before any real alert: the
        // oldest waiting test, else a new test itself, else the oldest waiting alert.
        const first = lane.running ? 1 : 0;
        const waitingTest = lane.jobs.findIndex((j, i) => i >= first && j.payload.event === 'test');
        const at = waitingTest >= 0 ? waitingTest : first;
        const [dropped] = lane.jobs.splice(at, 1);
        this.#finish(lane, dropped, 'dropped', `queue full (${this.policy.maxQueue} waiting); ${dropped.payload.event === 'test' ? 'a test alert' : 'the oldest message'} dropped`, 0);
      }
      lane.state.pending = lane.jobs.length;
      if (!lane.running) void this.#work(lane);
    });
  }

  state(channelId: string): ChannelDelivery {
    return { ...(this.#lanes.get(channelId)?.state ?? idle()) };
  }

  /** A removed channel's counters go with it (its queued messages still finish). */
  forget(channelId: string): void {
    const lane = this.#lanes.get(channelId);
    if (lane && !lane.running) this.#lanes.delete(channelId);
  }

  /** Stops retrying; waiting messages end as failed and are reported. */
  close(): void {
    this.#closed = true;
    for (const wake of [...this.#wakers]) wake();
    for (const lane of this.#lanes.values()) for (const job of lane.jobs.splice(0)) this.#finish(lane, job, 'failed', 'alert delivery stopped before this message was sent', 0);
  }

  #lane(id: string): Lane {
    let lane = this.#lanes.get(id);
    if (!lane) this.#lanes.set(id, (lane = { jobs: [], running: false, state: idle() }));
    return lane;
  }

  async #work(lane: Lane): Promise<void> {
    lane.running = true;
    while (lane.jobs.length > 0 && !this.#closed) {
      const job = lane.jobs[0];
      const test = job.payload.event === 'test';
      const attempts = test ? 1 : this.policy.attempts;
      let error: string | null = null;
      let attempt = 0;
      for (attempt = 1; attempt <= attempts && !this.#closed; attempt++) {
        try {
          await this.send(job.channel, job.payload, test ? Math.min(this.policy.timeoutMs, TEST_TIMEOUT_MS) : this.policy.timeoutMs);
          error = null;
          break;
        } catch (e) {
          error = scrubSecrets(describe(e), job.channel);
          if (test) error = `${error} (a test is sent once, without retries; alerts are tried ${this.policy.attempts} times)`;
          if (attempt === attempts) break;
          lane.state.retries++;
          lane.state.status = 'retrying';
          this.onOutcome(job.channel, 'retried', job.payload, error, attempt);
          await this.#sleep(this.policy.baseDelayMs * 3 ** (attempt - 1));
        }
      }
      if (lane.jobs[0] !== job) continue; // close() already ended it
      lane.jobs.shift();
      this.#finish(lane, job, error === null ? 'sent' : 'failed', error, Math.min(attempt, attempts));
    }
    lane.running = false;
  }

  #finish(lane: Lane, job: Job, outcome: 'sent' | 'failed' | 'dropped', error: string | null, attempts: number): void {
    const s = lane.state;
    s.pending = lane.jobs.length;
    if (outcome === 'sent') {
      Object.assign(s, { status: 'ok', sent: s.sent + 1, consecutive_failures: 0, last_success_at: new Date().toISOString() });
    } else {
      Object.assign(s, { status: 'failing', failed: s.failed + 1, consecutive_failures: s.consecutive_failures + 1 });
      s.last_failure = { at: new Date().toISOString(), event: job.payload.event, error: error ?? outcome, attempts };
    }
    this.onOutcome(job.channel, outcome, job.payload, error, attempts);
    job.done({ channel_id: job.channel.id, ok: outcome === 'sent', attempts, error });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.#wakers.add(wake);
    });
  }
}

/** An error as one line: undici and nodemailer put the useful part in name, code or cause. */
function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: unknown; cause?: { message?: string; code?: unknown } };
  const message = e?.message ?? String(error);
  const label = typeof e?.code === 'string' ? e.code : e?.name && e.name !== 'Error' ? e.name : '';
  const cause = e?.cause?.message && !message.includes(e.cause.message) ? ` (${e.cause.message})` : '';
  return `${label && !message.includes(label) ? `${label}: ` : ''}${message}${cause}`.slice(0, 300);
}
