import { z } from 'zod';
import { parseOrThrow } from '../../shared/errors';
import { FailoverSettingsPatchSchema, FailoverSettingsSchema, type FailoverSettings, type FailoverState } from '../../shared/schemas/containers';
import type { HealthEvent } from '../../shared/schemas/health';
import type { ClusterMonitor } from '../monitor/cluster-monitor';
import { openStore, setAside, type ConfLike, type StoreFactory, type StoreRecovery } from '../registry/json-store';
import type { NodeRegistry } from '../registry/node-registry';
import type { SwarmService, SwarmSnapshot } from './swarm-service';

const StoredSchema = z.object({ settings: FailoverSettingsSchema.default(FailoverSettingsSchema.parse({})), drained_by_us: z.array(z.string()).default([]) });

export interface FailoverOptions {
  dataDir: string;
  storeFactory: StoreFactory;
  onRecovery: (recovery: StoreRecovery) => void;
  registry: NodeRegistry;
  monitor: ClusterMonitor;
  swarm: SwarmService;
  /** SWARM_FAILOVER from the environment: wins over the saved value at start. */
  enabledFromEnv?: boolean;
}

/**
 * Tells Swarm what our monitor knows and its heartbeat does not: a node our checks settle as
 * unhealthy (past the thresholds, never while the monitor is offline or waking) is drained, so
 * Swarm reschedules its tasks; on recovery it is set active again. Maintenance drains too.
 * Guards: at most max(max_drained_nodes, share × swarm size) nodes drained at once, never the
 * last active manager, and nothing during a monitor-offline episode. Only nodes the policy
 * drained itself are activated by it.
 */
export class FailoverPolicy {
  readonly #conf: ConfLike;
  #settings: FailoverSettings;
  readonly #drainedByUs: Set<string>;
  #lastAction: FailoverState['last_action'] = null;
  #queue: Promise<void> = Promise.resolve();
  readonly #offs: Array<() => void>;

  constructor(private readonly options: FailoverOptions) {
    const { conf, data } = openStore(options.storeFactory, { cwd: options.dataDir, configName: 'failover' }, options.onRecovery);
    this.#conf = conf;
    const parsed = StoredSchema.safeParse(data);
    if (!parsed.success) options.onRecovery(setAside(conf.path, `does not hold valid failover settings: ${parsed.error.issues[0]?.message ?? 'invalid'}`, true));
    const stored = parsed.success ? parsed.data : StoredSchema.parse({});
    this.#settings = { ...stored.settings, ...(options.enabledFromEnv === undefined ? {} : { enabled: options.enabledFromEnv }) };
    this.#drainedByUs = new Set(stored.drained_by_us);
    this.#offs = [
      options.monitor.events.on('event', (event) => this.#onEvent(event)),
      options.registry.events.on('change', (change) => {
        if (change.type !== 'updated' || !this.#settings.drain_maintenance) return;
        if (change.node.maintenance && !change.previous.maintenance) this.#enqueue(change.node.id, 'drain', 'put in maintenance');
        if (!change.node.maintenance && change.previous.maintenance && options.monitor.stateOf(change.node.id) !== 'unhealthy') this.#enqueue(change.node.id, 'activate', 'maintenance ended');
      }),
    ];
  }

  state(): FailoverState {
    return { ...this.#settings, drained_by_us: [...this.#drainedByUs].sort(), last_action: this.#lastAction };
  }

  update(patch: unknown): FailoverState {
    const changes = parseOrThrow(FailoverSettingsPatchSchema, patch ?? {});
    this.#settings = { ...this.#settings, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
    this.#save();
    return this.state();
  }

  /** Resolves when every queued action has run (tests, and a clean stop). */
  idle(): Promise<void> {
    return this.#queue;
  }

  dispose(): void {
    this.#offs.forEach((off) => off());
  }

  #onEvent(event: HealthEvent): void {
    if (!this.#settings.enabled || event.kind !== 'transition' || !event.node) return;
    // The node itself need not have Docker enabled: a manager that does is enough to drain it.
    if (!this.options.registry.all().some((n) => n.docker?.enabled)) return;
    if (event.to === 'unhealthy') this.#enqueue(event.node, 'drain', `settled unhealthy: ${event.reason}`);
    else if (event.to === 'healthy' && this.#drainedByUs.has(event.node)) this.#enqueue(event.node, 'activate', 'checks pass again');
  }

  #enqueue(id: string, action: 'drain' | 'activate', why: string): void {
    if (!this.#settings.enabled) return;
    this.#queue = this.#queue.then(() => this.#act(id, action, why)).catch(() => {});
  }

  async #act(id: string, action: 'drain' | 'activate', why: string): Promise<void> {
    const { monitor, swarm } = this.options;
    // Only what the policy drained is activated, once: a recovery and a maintenance end queued together
    // (or a second recovery) find the node already given back and say nothing more.
    if (action === 'activate' && !this.#drainedByUs.has(id)) return;
    // Re-checked when the action runs: the situation may have changed while it waited.
    const info = monitor.monitorInfo();
    if (action === 'drain' && (info.offline || info.in_grace)) return this.#held(id, action, `the monitor is ${info.offline ? 'offline' : 'waking up'}; its failures say nothing about ${id}`);
    if (action === 'drain' && monitor.stateOf(id) !== 'unhealthy' && !this.options.registry.get(id)?.maintenance) return;
    let snap: SwarmSnapshot;
    try {
      snap = await swarm.snapshot();
      if (![...snap.match.values()].includes(id)) return; // not a Swarm node: nothing to fail over
      const target = swarm.swarmNodeOf(snap, id);
      if (action === 'drain') {
        if (target.Spec.Availability === 'drain') return;
        const limit = Math.max(this.#settings.max_drained_nodes, Math.floor(this.#settings.max_drained_share * snap.nodes.length));
        const drained = snap.nodes.filter((n) => n.Spec.Availability === 'drain').length;
        if (drained + 1 > limit) return this.#held(id, action, `${drained} of ${snap.nodes.length} Swarm nodes are drained already; the limit is ${limit}`);
        const activeManagers = snap.nodes.filter((n) => n.Spec.Role === 'manager' && n.Spec.Availability === 'active' && n.Status.State === 'ready' && n.ID !== target.ID);
        if (target.Spec.Role === 'manager' && activeManagers.length === 0) return this.#held(id, action, `${target.Description.Hostname} is the last active manager`);
      } else if (target.Spec.Availability === 'active') {
        // Set active by hand meanwhile: nothing to do, but the drain is over, and that is said (an open FailoverAction alert resolves).
        this.#drainedByUs.delete(id);
        this.#save();
        return this.#record(id, action, `already active in Swarm (set by hand); ${why}`, 'ok');
      }
      await swarm.setAvailability(id, action === 'drain' ? 'drain' : 'active', 'failover', snap);
    } catch (error) {
      return this.#record(id, action, `failed: ${(error as Error).message}`, 'error');
    }
    if (action === 'drain') this.#drainedByUs.add(id);
    else this.#drainedByUs.delete(id);
    this.#save();
    this.#record(id, action, action === 'drain' ? `drained in Swarm (${why}); Swarm moves its tasks to healthy nodes` : `set active in Swarm again (${why})`, 'ok');
  }

  #held(id: string, action: string, why: string): void {
    this.#record(id, action, `not ${action === 'drain' ? 'drained' : 'activated'}: ${why}`, 'held');
  }

  /** Every decision is an event (and so a notification and an alert) and the last action is kept. */
  #record(id: string, action: string, reason: string, outcome: 'ok' | 'held' | 'error'): void {
    this.#lastAction = { at: new Date().toISOString(), node_id: id, action, outcome };
    this.options.monitor.logEvent({ node: id, kind: 'failover', from: action === 'drain' ? 'active' : 'drain', to: outcome === 'ok' ? (action === 'drain' ? 'drain' : 'active') : outcome, reason });
  }

  #save(): void {
    this.#conf.store = { settings: this.#settings, drained_by_us: [...this.#drainedByUs] };
  }
}
