import { z } from 'zod';
import { openStore, type ConfLike, type StoreFactory, type StoreRecovery } from '../../registry/json-store';
import { AM_ALERTNAMES, type AmEntry } from './am-alert';

/** A resolved alert is still sent this long once told (as Prometheus does), so a peer that restarted learns it too. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

const EntrySchema = z.object({
  key: z.string(),
  event: z.enum(Object.keys(AM_ALERTNAMES) as [keyof typeof AM_ALERTNAMES, ...Array<keyof typeof AM_ALERTNAMES>]),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: z.string(),
  resolvedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});

/**
 * What is firing (and what resolved lately), kept in DATA_DIR/alertmanager-alerts.json: after a
 * restart it is sent again at once, and an alert whose node recovered meanwhile is resolved then,
 * instead of being left to time out.
 */
export class AmFiringSet {
  readonly #conf: ConfLike;
  readonly #entries = new Map<string, AmEntry>();

  constructor(dataDir: string, factory: StoreFactory, onRecovery: (recovery: StoreRecovery) => void, private readonly now: () => number = Date.now) {
    const { conf, data } = openStore(factory, { cwd: dataDir, configName: 'alertmanager-alerts' }, onRecovery);
    this.#conf = conf;
    const stored = z.array(z.unknown()).safeParse(data.alerts);
    for (const raw of stored.success ? stored.data : []) {
      const entry = EntrySchema.safeParse(raw);
      if (entry.success) this.#entries.set(entry.data.key, entry.data); // an entry that does not read is dropped: it would time out anyway
    }
  }

  /** Fires (or refreshes) an alert; a resolved one with the same key fires anew. Returns whether anything changed. */
  fire(entry: Omit<AmEntry, 'resolvedAt' | 'startsAt'> & { startsAt?: string }): boolean {
    const old = this.#entries.get(entry.key);
    const firing = old && !old.resolvedAt;
    const next: AmEntry = { ...entry, startsAt: firing ? old.startsAt : (entry.startsAt ?? new Date(this.now()).toISOString()), resolvedAt: null };
    if (firing && JSON.stringify(old) === JSON.stringify(next)) return false;
    this.#entries.set(entry.key, next);
    this.#save();
    return true;
  }

  /** Resolves a firing alert now; false when it was not firing. */
  resolve(key: string): boolean {
    const old = this.#entries.get(key);
    if (!old || old.resolvedAt) return false;
    this.#entries.set(key, { ...old, resolvedAt: new Date(this.now()).toISOString() });
    this.#save();
    return true;
  }

  firing(): AmEntry[] {
    return [...this.#entries.values()].filter((e) => !e.resolvedAt);
  }

  /** Everything to send now: firing, and resolved within the grace and retention (older ones are forgotten). */
  current(graceMs = 0): AmEntry[] {
    const now = this.now();
    let changed = false;
    for (const entry of [...this.#entries.values()]) {
      if (!entry.resolvedAt && entry.expiresAt && Date.parse(entry.expiresAt) <= now) {
        this.#entries.set(entry.key, { ...entry, resolvedAt: entry.expiresAt });
        changed = true;
      } else if (entry.resolvedAt && Date.parse(entry.resolvedAt) + graceMs + RESOLVED_RETENTION_MS <= now) {
        this.#entries.delete(entry.key);
        changed = true;
      }
    }
    if (changed) this.#save();
    return [...this.#entries.values()];
  }

  #save(): void {
    this.#conf.store = { alerts: [...this.#entries.values()] };
  }
}
