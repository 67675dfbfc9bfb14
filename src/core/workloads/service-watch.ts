import { z } from 'zod';
import type { HealthEvent } from '../../shared/schemas/health';
import type { PlanNode, ServiceList } from '../../shared/schemas/workloads';
import type { NodeRegistry } from '../registry/node-registry';
import { openStore, type ConfLike, type StoreFactory, type StoreRecovery } from '../registry/json-store';

// Work that cannot run, told to people: a service whose replicas stay pending past a threshold is a
// `service_pending` event (and so an alert on every channel), its placement `service_placed`, and an
// update that rolled back `service_rolled_back` with Swarm's cause. What was told is kept in DATA_DIR,
// so a restart neither repeats an alert nor forgets to say the service was placed.

/** SERVICE_PENDING_ALERT_AFTER's default: five minutes pending is an alert. */
export const DEFAULT_SERVICE_PENDING_ALERT_AFTER_MS = 300_000;
/** Rollbacks that ended longer ago than this (before a first start, or a long stop) are not told. */
const ROLLBACK_NEWS_MS = 10 * 60_000;
/** Rollbacks remembered as told. */
const MAX_ROLLBACKS = 500;

const StateSchema = z.object({
  pending: z.record(z.string(), z.object({ since: z.string(), alerted: z.boolean() })).catch({}),
  rolled_back: z.array(z.string()).catch([]),
});
type State = z.infer<typeof StateSchema>;
/**
 * The pending plan as values a window words in its own language: of `wanted` more tasks `fits` would be
 * placed now, and the first node's first reason (`note_code`, `note_node`, `note.<value>`); the English
 * summary stays in `why`.
 */
function planParams(wanted: number, nodes: PlanNode[]): Record<string, string | number> {
  if (nodes.length === 0) return {};
  const fits = nodes.reduce((sum, n) => sum + n.fits, 0);
  const blocked = nodes.find((n) => n.reasons.length > 0);
  const note = blocked?.reasons[0];
  return { wanted, fits, ...(note ? { note_code: note.code, note_node: blocked!.id, ...Object.fromEntries(Object.entries(note.params).map(([k, v]) => [`note.${k}`, v])) } : {}) };
}

/** An event to log: kind, service, its new state, the sentence, its values, and its reason code when not the kind. */
type Told = [kind: 'service_pending' | 'service_placed' | 'service_rolled_back', service: string, to: string, reason: string, params: Record<string, string | number>, code?: string];

export interface ServiceWatchOptions {
  dataDir: string;
  storeFactory: StoreFactory;
  onRecovery: (recovery: StoreRecovery) => void;
  registry: NodeRegistry;
  /** The services with their pending counts, reasons and update state (core.workloads.list). */
  list: () => Promise<ServiceList>;
  logEvent: (event: Omit<HealthEvent, 'seq' | 'at'>) => void;
  /** SERVICE_PENDING_ALERT_AFTER, in ms. */
  pendingAfterMs: number;
  now?: () => number;
}

export class ServiceWatch {
  /** What was told, read at the first look that finds a Docker node (a fleet without Docker never opens it). */
  #kept: { conf: ConfLike; state: State } | null = null;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | null = null;
  #disposed = false;
  #polling: Promise<void> | null = null;
  /** Names Swarm answered for at the last poll: null before one has answered. */
  #seen: Set<string> | null = null;

  constructor(private readonly options: ServiceWatchOptions) {
    this.#now = options.now ?? Date.now;
  }

  #store(): { conf: ConfLike; state: State } {
    if (!this.#kept) {
      const { conf, data } = openStore(this.options.storeFactory, { cwd: this.options.dataDir, configName: 'service-alerts' }, this.options.onRecovery);
      const parsed = StateSchema.safeParse(data);
      this.#kept = { conf, state: parsed.success ? parsed.data : { pending: {}, rolled_back: [] } };
    }
    return this.#kept;
  }

  /** A look every fifth of the threshold (1 to 15 s), so an alert comes at most that late. */
  get pollMs(): number {
    return Math.min(15_000, Math.max(1000, Math.round(this.options.pendingAfterMs / 5)));
  }

  start(): void {
    if (this.#timer || this.#disposed) return;
    const tick = (): void => {
      if (this.#disposed) return;
      this.#timer = setTimeout(() => void this.poll().finally(tick), this.pollMs);
      this.#timer.unref();
    };
    tick();
  }

  /**
   * Whether the service's alert still holds, as this process last saw it: true while it pends (and was
   * told), false once placed or gone, null when no manager has answered since the start.
   */
  stillPending(name: string): boolean | null {
    if (this.#seen === null || !this.#kept) return null;
    return this.#kept.state.pending[name]?.alerted === true;
  }

  /** One look at the swarm; a look already under way is shared. */
  poll(): Promise<void> {
    this.#polling ??= this.#look().finally(() => (this.#polling = null));
    return this.#polling;
  }

  async #look(): Promise<void> {
    if (!this.options.registry.all().some((n) => n.docker?.enabled)) return;
    let list: ServiceList;
    try {
      list = await this.options.list();
    } catch {
      return; // no manager answered: nothing is known, nothing is told (the services view says why)
    }
    if (list.manager_node_id === null) return;
    const { conf, state } = this.#store();
    const now = this.#now();
    let changed = false;
    const seen = new Set<string>();
    // Told once the state is kept, so whoever hears an event (Alertmanager's resend rule) reads it as told.
    const told: Told[] = [];
    for (const s of list.services) {
      if (s.mode !== 'replicated' && s.mode !== 'global') continue;
      seen.add(s.name);
      const entry = state.pending[s.name];
      const why = s.pending_reason?.summary || s.pending_reason?.swarm || 'no reason given';
      if (s.pending > 0) {
        if (!entry) {
          state.pending[s.name] = { since: new Date(now).toISOString(), alerted: false };
          changed = true;
        } else if (!entry.alerted && now - Date.parse(entry.since) >= this.options.pendingAfterMs) {
          entry.alerted = true;
          changed = true;
          const seconds = Math.round((now - Date.parse(entry.since)) / 1000);
          told.push(['service_pending', s.name, 'pending', `${s.name}: ${s.pending} ${s.pending === 1 ? 'replica' : 'replicas'} pending for ${seconds} s: ${why}`, { service: s.name, pending: s.pending, seconds, why, ...planParams(s.pending, s.pending_reason?.nodes ?? []) }]);
        }
      } else if (entry) {
        if (entry.alerted) told.push(['service_placed', s.name, 'placed', `${s.name}: every replica placed`, { service: s.name, pending: 0 }]);
        delete state.pending[s.name];
        changed = true;
      }
      if (s.update?.state === 'rolled_back') {
        const key = `${s.id}@${s.update.started_at ?? ''}`;
        if (!state.rolled_back.includes(key)) {
          state.rolled_back = [...state.rolled_back, key].slice(-MAX_ROLLBACKS);
          changed = true;
          const ended = s.update.completed_at ? Date.parse(s.update.completed_at) : now;
          const cause = s.update.cause ?? s.update.message ?? 'no cause given';
          if (now - ended <= ROLLBACK_NEWS_MS) told.push(['service_rolled_back', s.name, 'rolled_back', `${s.name}: the update rolled back: ${cause}`, { service: s.name, cause }]);
        }
      }
    }
    // A service removed while it pended: its alert ends.
    for (const [name, entry] of Object.entries(state.pending)) {
      if (seen.has(name)) continue;
      if (entry.alerted) told.push(['service_placed', name, 'removed', `${name} was removed while pending`, { service: name, pending: 0 }, 'service_removed']);
      delete state.pending[name];
      changed = true;
    }
    this.#seen = seen;
    if (changed) conf.store = state;
    for (const [kind, service, to, reason, params, code = kind] of told) this.options.logEvent({ node: null, kind, service, from: null, to, reason, reason_code: code, reason_params: params });
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
