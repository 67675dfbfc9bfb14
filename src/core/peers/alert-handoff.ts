import type { AlertNotice } from '../../shared/schemas/alerts';
import type { SentLog } from '../../shared/schemas/peers';

// Once to people, with peers (issue 42, item 4). Every monitor decides the same alert from the same
// votes; the first well monitor in INSTANCE order sends it at once, the next after a grace of two
// check intervals, the one after that after four, and each sends only what no peer has said it sent
// (the sent log, pushed over the same link as the votes). A monitor killed before sending hands the
// alert to the next; under a partition both sides send: at least once, never lost.

/** Alerts about a node or a service: every monitor decides them alike, so one sends. Others are this monitor's own. */
function keysOf(alert: AlertNotice): string[] {
  if (alert.event === 'node_down' || alert.event === 'node_recovered') return alert.nodes.map((n) => `${alert.event}:${n.id}`);
  if (alert.service && alert.event.startsWith('service_')) return [`${alert.event}:${alert.service.name}`];
  return [];
}
/** The event that ends the one a key is about: a peer's record from before it belongs to an earlier outage. */
const OPPOSITE: Record<string, string[]> = {
  node_down: ['node_recovered'],
  node_recovered: ['node_down'],
  service_pending: ['service_placed', 'service_removed'],
  service_placed: ['service_pending'],
  service_removed: ['service_pending'],
  service_rolled_back: [],
};
/** How long this monitor keeps and shares what it sent. */
const KEEP_MS = 15 * 60_000;

export interface AlertHandoffOptions {
  instance: string;
  /** The peers that can send now (link open, fresh view, guard not fired), by INSTANCE. */
  wellPeers: () => string[];
  /** This monitor's check interval: the grace per position is two of them. */
  intervalMs: () => number;
  /** Tells the peers what this monitor sent (the `sent` push). */
  share: (log: SentLog) => void;
  log: (line: string) => void;
  now?: () => number;
}

export class AlertHandoff {
  readonly #sent: SentLog['entries'] = [];
  readonly #peers = new Map<string, SentLog['entries']>();
  /** When this monitor last decided each key: the bound of "the same outage" for the opposite key. */
  readonly #decided = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #now: () => number;

  constructor(private readonly options: AlertHandoffOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** Sends `alert` with `send` now, or after this monitor's turn if no peer has sent it by then. */
  gate(alert: AlertNotice, send: () => void): void {
    const keys = keysOf(alert);
    const now = this.#now();
    if (keys.length === 0) return send();
    // A peer's record counts for this alert if it came after this monitor last saw the opposite (the outage's start).
    const since = new Map(keys.map((key) => [key, Math.max(now - KEEP_MS, ...this.#opposites(key).map((k) => this.#decided.get(k) ?? 0))]));
    for (const key of keys) this.#decided.set(key, now);
    const order = [this.options.instance, ...this.options.wellPeers()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const position = order.indexOf(this.options.instance);
    if (position === 0) return this.#send(keys, send);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const by = keys.map((key) => this.#sender(key, since.get(key)!));
      if (by.every((who) => who !== null)) return this.options.log(`[peers] "${alert.title}" was sent by ${[...new Set(by)].join(', ')}; not sent again`);
      this.#send(keys, send);
    }, position * 2 * this.options.intervalMs());
    timer.unref?.();
    this.#timers.add(timer);
  }

  /** Alerts waiting for this monitor's turn. */
  get waiting(): number {
    return this.#timers.size;
  }

  /** A peer's sent log arrived (its latest entries; older ones age out). */
  takePeerLog(log: SentLog): void {
    if (log.monitor === this.options.instance) return;
    this.#peers.set(log.monitor, log.entries);
  }

  /** What this monitor sent lately, as its peers hear it. */
  sentLog(): SentLog {
    const cutoff = this.#now() - KEEP_MS;
    while (this.#sent.length > 0 && Date.parse(this.#sent[0]!.at) < cutoff) this.#sent.shift();
    return { monitor: this.options.instance, entries: this.#sent.slice(-500) };
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #opposites(key: string): string[] {
    const [event, subject] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    return (OPPOSITE[event] ?? []).map((other) => `${other}:${subject}`);
  }

  /** The peer that recorded `key` as sent since `since`, or null. */
  #sender(key: string, since: number): string | null {
    for (const [monitor, entries] of this.#peers) if (entries.some((e) => e.key === key && Date.parse(e.at) >= since)) return monitor;
    return null;
  }

  #send(keys: string[], send: () => void): void {
    const at = new Date(this.#now()).toISOString();
    for (const key of keys) this.#sent.push({ key, at });
    send();
    this.options.share(this.sentLog());
  }
}
