import type { ClusterStatus, HealthEvent, HistoryPoint, NodeCheck, NodeHealth, NodeWithHealth, Uptime } from '../../shared/schemas/health';
import { HEALTH_STATES, type HealthState, type Node, type NodeFilter } from '../../shared/schemas/node';
import { MonitorSettingsPatchSchema, MonitorTimingSchema, touchesTiming, type MonitorSettings } from '../../shared/schemas/settings';
import { parseOrThrow } from '../../shared/errors';
import type { HealthDelta } from '../../shared/health-columns';
import { dissentOf } from '../../shared/vantage';
import { Emitter } from '../util/emitter';
import type { NodeRegistry } from '../registry/node-registry';
import { checkNode, type NodeChecker, type NodeCheckResult } from '../prober/check-node';
import { runBounded } from '../prober/run-bounded';
import { applyCheck, initialRecord, type HealthRecord } from './health-state-machine';
import { computeClusterStatus, type MonitorInfo } from './cluster-status';
import { EventLog } from './event-log';
import { LatencyHistory, rawCapacityFor } from './latency-history';
import { SweepRequests } from './sweep-requests';
import type { QuorumDecision } from '../peers/quorum';
import type { NodeView } from '../../shared/schemas/peers';

interface NodeRuntime {
  /** This monitor's own view, from its checks alone. */
  record: HealthRecord;
  /** The state the monitors decide together (the record's own while there is no decider). */
  decided: { state: HealthState; settled: HealthState };
  decision: QuorumDecision | null;
  last: NodeCheckResult | null;
  history: LatencyHistory;
  /** Restored from before a restart and not checked since. */
  lastKnown?: boolean;
}

/** What the monitor keeps across a restart (history is kept separately, in binary). */
export interface MonitorStateSnapshot {
  last_sweep_at: string | null;
  /** `decided`: what the monitors together decided (with peers), so a restart tells no change nobody saw. */
  nodes: Record<string, { record: HealthRecord; last: NodeCheckResult | null; decided?: { state: HealthState; settled: HealthState } }>;
}

export interface MonitorEvents extends Record<string, unknown> {
  /** Every logged event (node transitions, monitor offline/online, …). */
  event: HealthEvent;
  /** Health of nodes whose status, latency or check time changed, after each sweep or single check. */
  health: HealthDelta[];
  /** The cluster summary after each sweep and after any change that alters it. */
  status: ClusterStatus;
  /** Settings after a change (the desktop app persists them). */
  settings: MonitorSettings;
  /** How long a full sweep took (metrics). */
  sweep: { duration_ms: number; nodes: number };
  /** Monitoring started (true) or stopped (false). */
  running: boolean;
}


/** Decides a node's state from this monitor's own view and its peers' (MONITOR_PEERS). */
export interface NodeDecider {
  decide(id: string, own: NodeView, offline: boolean): QuorumDecision;
  /** This monitor's name and its links to its peers, for the status. */
  links(): Omit<NonNullable<ClusterStatus['peers']>, 'dissent'>;
}

/** Why the monitors together changed a node's state (or this one alone: no decision, or no peer heard), in words and as a code. */
function quorumReason(decision: QuorumDecision | null, to: HealthState): Pick<HealthEvent, 'reason' | 'reason_code' | 'reason_params'> {
  if (!decision || decision.alone) return { reason: "decided by this monitor alone: no other monitor's view is fresh", reason_code: 'quorum_alone' };
  const counted = decision.vantage.filter((v) => v.counted);
  const down = to === 'unhealthy';
  const agree = counted.filter((v) => (down ? v.status === 'unhealthy' : v.status === 'healthy'));
  const monitors = agree.map((v) => v.monitor).join(', ');
  return {
    reason: `seen ${down ? 'down' : 'up'} by ${agree.length} of ${counted.length} monitors (${monitors})`,
    reason_code: down ? 'quorum_down' : 'quorum_up',
    reason_params: { count: agree.length, voters: counted.length, monitors },
  };
}

export interface MonitorOptions {
  registry: NodeRegistry;
  settings: MonitorSettings;
  eventLog?: EventLog;
  checker?: NodeChecker;
  now?: () => number;
  /** Saves changed settings; called before they take effect. */
  persistSettings?: (before: MonitorSettings, after: MonitorSettings) => void;
}

const DAY = 24 * 3600_000;
const UPTIME_RANGES: Array<[keyof Uptime, number]> = [['h24', DAY], ['d7', 7 * DAY], ['d30', 30 * DAY]];
/** Each window's measured span, from the longest one's (a window is measured since the first check in it, or whole). */
const spans = (measured30dMs: number): Pick<Uptime, 'h24_span_s' | 'd7_span_s' | 'd30_span_s'> => ({
  h24_span_s: Math.round(Math.min(DAY, measured30dMs) / 1000),
  d7_span_s: Math.round(Math.min(7 * DAY, measured30dMs) / 1000),
  d30_span_s: Math.round(measured30dMs / 1000),
});
const ratio = ({ up, down }: { up: number; down: number }): number | null => (up + down === 0 ? null : Math.round((up / (up + down)) * 10_000) / 10_000);

/** The failing probe's reason code and target beside the error text (null while the last check passed). */
function errorCode(last: NodeCheckResult | null | undefined): Pick<NodeHealth, 'error_code' | 'error_params'> {
  if (!last || last.ok || !last.reason) return {};
  const failed = last.probes.find((p) => !p.ok);
  return { error_code: last.reason, error_params: { target: failed?.target ?? '', ...(failed?.status_code !== undefined ? { status: failed.status_code } : {}) } };
}

/** Why a node changed state, in words and as a code (with the failing probe's target) for other languages. */
function transitionReason(result: NodeCheckResult, from: string): Pick<HealthEvent, 'reason' | 'reason_code' | 'reason_params'> {
  if (result.ok) return from === 'unknown' ? { reason: 'first check passed', reason_code: 'first_check_passed' } : { reason: 'checks pass again', reason_code: 'checks_pass_again' };
  const { error_code, error_params } = errorCode(result);
  return { reason: result.error ?? 'check failed', ...(error_code ? { reason_code: error_code, reason_params: error_params } : {}) };
}

/** Minimum number of previously healthy nodes before a mass failure is blamed on the monitor itself. */
const OFFLINE_GUARD_MIN_NODES = 3;

/**
 * Probes every node on an interval and turns results into honest states. Owns per-node state,
 * history and the event log; the tray, window, REST and MCP only read it.
 */
export class ClusterMonitor {
  readonly events = new Emitter<MonitorEvents>();
  readonly eventLog: EventLog;
  #settings: MonitorSettings;
  readonly #registry: NodeRegistry;
  readonly #checker: NodeChecker;
  readonly #now: () => number;
  readonly #nodes = new Map<string, NodeRuntime>();
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #sweep: Promise<ClusterStatus> | null = null;
  #lastSweepAt: string | null = null;
  #offline = false;
  #pausedUntil: number | null = null; // Infinity = until resumed
  #graceUntil = 0;
  readonly #unsubscribe: () => void;
  readonly #persistSettings: MonitorOptions['persistSettings'];
  #decider: NodeDecider | null = null;

  constructor(options: MonitorOptions) {
    this.#persistSettings = options.persistSettings;
    this.#registry = options.registry;
    this.#settings = options.settings;
    this.eventLog = options.eventLog ?? new EventLog();
    this.#checker = options.checker ?? checkNode;
    this.#now = options.now ?? Date.now;
    for (const node of this.#registry.all()) this.#track(node);
    this.#unsubscribe = this.#registry.events.on('change', (change) => {
      if (change.type === 'removed') this.#nodes.delete(change.node.id);
      else if (change.type === 'added') this.#track(change.node);
      else if (change.node.maintenance !== change.previous.maintenance) this.#setMaintenance(change.node);
      this.#publishStatusSoon();
    });
  }

  get settings(): MonitorSettings {
    return this.#settings;
  }

  updateSettings(patch: unknown): MonitorSettings {
    const changes = parseOrThrow(MonitorSettingsPatchSchema, patch);
    const next = { ...this.#settings, ...changes };
    if (touchesTiming(changes)) parseOrThrow(MonitorTimingSchema, next);
    this.#persistSettings?.(this.#settings, next); // throws before memory changes if the write fails
    this.#settings = next;
    if (this.#running) this.#schedule(0);
    this.events.emit('settings', this.#settings);
    return this.#settings;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.events.emit('running', true);
    this.#schedule(0);
  }

  stop(): void {
    const wasRunning = this.#running;
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (wasRunning) this.events.emit('running', false);
  }

  dispose(): void {
    this.stop();
    this.#unsubscribe();
  }

  /** Pauses sweeps for `durationMs`, or until resumed when omitted. */
  pause(durationMs?: number): void {
    this.#pausedUntil = durationMs === undefined ? Infinity : this.#now() + durationMs;
    this.#publishStatus();
  }

  resume(): void {
    this.#pausedUntil = null;
    this.#publishStatus();
    if (this.#running) this.#schedule(0);
  }

  /** Called when the host wakes from sleep: failures during the grace period are not alerts. */
  notifyResumeFromSleep(): void {
    this.#graceUntil = this.#now() + this.#settings.resume_grace_s * 1000;
    this.#publishStatus();
  }

  get paused(): boolean {
    if (this.#pausedUntil !== null && this.#now() >= this.#pausedUntil) this.#pausedUntil = null;
    return this.#pausedUntil !== null;
  }

  /** The node's state: decided by the monitors together (see setDecider), or this one's own alone. */
  stateOf = (id: string): HealthState => this.#nodes.get(id)?.decided.state ?? 'unknown';

  /** This monitor's own state of a node, from its checks alone (mco_node_up, its vote). */
  ownStateOf = (id: string): HealthState => this.#nodes.get(id)?.record.state ?? 'unknown';

  /** This monitor's own view as it votes: unknown while only restored from before a restart. */
  ownViewOf(id: string): NodeView {
    const runtime = this.#nodes.get(id);
    const last = runtime?.last;
    return { status: !runtime || runtime.lastKnown ? 'unknown' : runtime.record.state, checked_at: last?.checked_at ?? null, error: last?.error ?? null, ...errorCode(last) };
  }

  /**
   * From now on a node's state is what `decider` decides from this monitor's view and its peers'
   * (issue 42): transitions, alerts, failover, the tray and the status follow it.
   */
  setDecider(decider: NodeDecider | null): void {
    this.#decider = decider;
    this.reconsider();
  }

  /** Decides every node again (a peer's view arrived): logs the changes, tells the windows. */
  reconsider(): void {
    const listened = this.events.listening('health');
    const deltas: HealthDelta[] = [];
    let changed = false;
    for (const [id, runtime] of this.#nodes) {
      if (runtime.record.state === 'maintenance') continue;
      const state = runtime.decided.state;
      const brief = listened ? this.#brief(runtime) : '';
      const change = this.#settle(id, runtime);
      if (change) this.#logChange(id, runtime, change, null);
      changed ||= runtime.decided.state !== state;
      if (listened && this.#brief(runtime) !== brief) deltas.push({ id, health: this.healthOf(id) });
    }
    if (deltas.length > 0) this.events.emit('health', deltas);
    if (changed) this.#publishStatus();
  }

  /** Nodes some counted monitor sees down while the decision is up, or up while it is down ("down from mon-c only"). */
  #dissent(): NonNullable<ClusterStatus['peers']>['dissent'] {
    const dissent: NonNullable<ClusterStatus['peers']>['dissent'] = [];
    for (const [id, runtime] of this.#nodes) {
      const decision = runtime.decision;
      const differs = decision && !decision.alone && decision.needed > 0 ? dissentOf(runtime.decided.state, decision.vantage) : null;
      if (differs) dissent.push({ id, ...differs });
    }
    return dissent;
  }

  /** What a window shows of a node's decision, to tell whether it changed. */
  #brief(runtime: NodeRuntime): string {
    return `${runtime.decided.state} ${runtime.decision?.vantage.map((v) => `${v.monitor}:${v.status}:${v.counted}`).join(',') ?? ''}`;
  }

  healthOf = (id: string): NodeHealth => {
    const runtime = this.#nodes.get(id);
    const last = runtime?.last;
    const decision = runtime?.decision;
    return {
      status: runtime?.decided.state ?? 'unknown',
      latency_ms: last?.latency_ms ?? null,
      checked_at: last?.checked_at ?? null,
      error: last?.error ?? null,
      ...errorCode(last),
      ...(runtime?.lastKnown ? { last_known: true } : {}),
      ...(runtime ? { recent: runtime.history.recent(), uptime_24h: ratio(runtime.history.uptimeCounts(DAY, this.#now())) } : {}),
      ...(decision ? { vantage: decision.vantage, quorum: { needed: decision.needed, voters: decision.vantage.filter((v) => v.counted).length, alone: decision.alone } } : {}),
    };
  };

  /** A node's uptime over 24 h, 7 d and 30 d, with how much of each window has been measured. */
  uptimeOf(id: string): Uptime {
    const history = this.#nodes.get(id)?.history;
    const now = this.#now();
    const ratios = Object.fromEntries(UPTIME_RANGES.map(([key, ms]) => [key, history ? ratio(history.uptimeCounts(ms, now)) : null]));
    return { ...ratios, ...spans(history?.measuredMs(30 * DAY, now) ?? 0) } as Uptime;
  }

  #clusterUptime: { at: number; value: Uptime } | null = null;
  /** Every node's checks together; recomputed at most once a minute (30 days × every node). */
  clusterUptime(): Uptime {
    const now = this.#now();
    if (this.#clusterUptime && now - this.#clusterUptime.at < 60_000) return this.#clusterUptime.value;
    const value = Object.fromEntries(
      UPTIME_RANGES.map(([key, ms]) => {
        const total = { up: 0, down: 0 };
        for (const runtime of this.#nodes.values()) {
          const counts = runtime.history.uptimeCounts(ms, now);
          total.up += counts.up;
          total.down += counts.down;
        }
        return [key, ratio(total)];
      }),
    ) as Uptime;
    Object.assign(value, spans(Math.max(0, ...[...this.#nodes.values()].map((r) => r.history.measuredMs(30 * DAY, now)))));
    this.#clusterUptime = { at: now, value };
    return value;
  }

  get running(): boolean {
    return this.#running;
  }

  /** States and last checks of every node, to be restored after a restart. */
  exportState(): MonitorStateSnapshot {
    const nodes: MonitorStateSnapshot['nodes'] = {};
    for (const [id, runtime] of this.#nodes) nodes[id] = { record: runtime.record, last: runtime.last, ...(runtime.decision ? { decided: runtime.decided } : {}) };
    return { last_sweep_at: this.#lastSweepAt, nodes };
  }

  /**
   * Takes the states saved before a restart as "last known" until each node is checked again, so a
   * node healthy before and after makes no new transition. Nodes in maintenance keep that state.
   */
  restoreState(snapshot: MonitorStateSnapshot, histories: (id: string) => LatencyHistory | null): void {
    for (const [id, runtime] of this.#nodes) {
      const saved = snapshot.nodes[id];
      const history = histories(id);
      // A history saved at a longer interval (or by an older version) may hold too few raw checks.
      if (history) runtime.history = history.rawCapacity >= runtime.history.rawCapacity ? history : history.withRawCapacity(runtime.history.rawCapacity);
      if (!saved || runtime.record.state === 'maintenance' || saved.record.state === 'maintenance') continue;
      runtime.record = saved.record;
      const decided = saved.decided && HEALTH_STATES.includes(saved.decided.state) && HEALTH_STATES.includes(saved.decided.settled) ? saved.decided : saved.record;
      runtime.decided = { state: decided.state, settled: decided.settled };
      runtime.last = saved.last;
      runtime.lastKnown = true;
    }
    this.#lastSweepAt = snapshot.last_sweep_at;
  }

  historyOf(id: string): LatencyHistory | null {
    return this.#nodes.get(id)?.history ?? null;
  }

  /** A registered node with its health, as every face returns it. */
  nodeWithHealth(id: string): NodeWithHealth {
    return { ...this.#registry.require(id), health: this.healthOf(id), uptime: this.uptimeOf(id) };
  }

  /** The list filters (status included), each node with its health. */
  listWithHealth(filter: NodeFilter = {}): NodeWithHealth[] {
    return this.#registry.list(filter, this.stateOf).map((node) => ({ ...node, health: this.healthOf(node.id), uptime: this.uptimeOf(node.id) }));
  }

  lastCheck(id: string): NodeCheckResult | null {
    return this.#nodes.get(id)?.last ?? null;
  }

  history(id: string, rangeMs: number): HistoryPoint[] {
    return this.#nodes.get(id)?.history.points(rangeMs, this.#now()) ?? [];
  }

  monitorInfo(): MonitorInfo {
    const paused = this.paused;
    return {
      offline: this.#offline,
      paused,
      paused_until: paused && Number.isFinite(this.#pausedUntil) ? new Date(this.#pausedUntil!).toISOString() : null,
      in_grace: this.#now() < this.#graceUntil,
    };
  }

  status(includeNodes = false): ClusterStatus {
    const nodes = this.#registry.all();
    const status: ClusterStatus = { ...computeClusterStatus(nodes, this.stateOf, this.monitorInfo(), this.#lastSweepAt), uptime: this.clusterUptime() };
    if (this.#decider) status.peers = { ...this.#decider.links(), dissent: this.#dissent() };
    if (includeNodes) status.nodes = nodes.map((node) => ({ ...node, health: this.healthOf(node.id) }));
    return status;
  }

  readonly #requests = new SweepRequests(() => this.sweep());
  /** A sweep a client asked for: shared by concurrent requests and spaced out (see SweepRequests). */
  requestSweep(): Promise<ClusterStatus> {
    return this.#requests.request();
  }

  /** One sweep now; if one is running, waits for it instead of overlapping. */
  sweep(): Promise<ClusterStatus> {
    this.#sweep ??= this.#runSweep().finally(() => (this.#sweep = null));
    return this.#sweep;
  }

  /** Live check of one node ("Check now"); its result counts like a sweep's. */
  async checkOne(id: string): Promise<NodeCheck> {
    const node = this.#registry.require(id);
    const result = await this.#checker(node, this.#settings.timeout_s * 1000);
    if (!node.maintenance && this.#registry.get(id)) {
      this.#applyResults([[node, result]], false);
      this.#publishStatus();
    }
    return {
      node_id: id,
      status: result.ok ? 'healthy' : 'unhealthy',
      latency_ms: result.latency_ms,
      checked_at: result.checked_at,
      error: result.error,
      probes: result.probes,
      monitor_state: this.stateOf(id),
    };
  }

  async #runSweep(): Promise<ClusterStatus> {
    const nodes = this.#registry.all().filter((n) => !n.maintenance);
    const timeoutMs = this.#settings.timeout_s * 1000;
    const started = performance.now();
    // Starting 1,000 probes takes a few hundred ms of CPU; that start-up lag (up to 10 % of the
    // timeout) comes out of late probes' budgets so the whole sweep ends about one timeout after it began.
    const budget = (): number => timeoutMs - Math.min(performance.now() - started, timeoutMs * 0.1);
    // Nodes that timed out last time start first: they hold their slot for a whole timeout, and started
    // late (behind thousands of quick checks) they would push the sweep's end past one timeout.
    const timedOut = (node: Node): boolean => this.#nodes.get(node.id)?.last?.reason?.startsWith('timeout') ?? false;
    const results = await runBounded(nodes, this.#settings.concurrency, async (node) => [node, await this.#checker(node, budget())] as const, timedOut);
    // Nodes removed or put in maintenance while the sweep ran are left alone.
    const current = results.filter(([node]) => this.#registry.get(node.id) && !this.#registry.get(node.id)!.maintenance);
    this.#applyResults(current, true);
    this.events.emit('sweep', { duration_ms: performance.now() - started, nodes: nodes.length });
    this.#lastSweepAt = new Date(this.#now()).toISOString();
    const status = this.status();
    this.events.emit('status', status);
    return status;
  }

  #applyResults(results: ReadonlyArray<readonly [Node, NodeCheckResult]>, fullSweep: boolean): void {
    const now = this.#now();
    const inGrace = now < this.#graceUntil;
    if (fullSweep) this.#updateOfflineGuard(results);
    // Each delta carries the node's heartbeat and uptime: built only for a listener (a window, a client).
    const listened = this.events.listening('health');
    const deltas: HealthDelta[] = [];
    for (const [node, result] of results) {
      const runtime = this.#nodes.get(node.id) ?? this.#track(node);
      runtime.last = result;
      runtime.lastKnown = false;
      // While the monitor is offline or just woke up, failures say nothing about the nodes.
      const blind = !result.ok && (this.#offline || inGrace);
      if (!blind) runtime.record = applyCheck(runtime.record, result.ok, this.#settings).record;
      const change = this.#settle(node.id, runtime);
      // A failure is downtime unless it says nothing (blind) or the monitors together see the node up.
      runtime.history.record(now, result.ok ? result.latency_ms : null, result.ok || (!blind && runtime.decided.state !== 'healthy'));
      if (listened) deltas.push({ id: node.id, health: this.healthOf(node.id) });
      if (change) this.#logChange(node.id, runtime, change, result);
    }
    if (deltas.length > 0) this.events.emit('health', deltas);
  }

  /** Nearly every previously healthy node failing at once means this machine lost the network. */
  #updateOfflineGuard(results: ReadonlyArray<readonly [Node, NodeCheckResult]>): void {
    const wasHealthy = results.filter(([node]) => this.#nodes.get(node.id)?.record.settled === 'healthy');
    const anyOk = results.some(([, r]) => r.ok);
    if (this.#offline) {
      if (anyOk) {
        this.#offline = false;
        this.#log({ node: null, kind: 'monitor_online', from: 'offline', to: 'online', reason: 'checks succeed again; monitoring resumed', reason_code: 'monitor_resumed' });
      }
      return;
    }
    if (wasHealthy.length < OFFLINE_GUARD_MIN_NODES) return;
    const failed = wasHealthy.filter(([, r]) => !r.ok).length;
    if (failed / wasHealthy.length >= this.#settings.offline_fraction) {
      this.#offline = true;
      this.#log({
        node: null,
        kind: 'monitor_offline',
        from: 'online',
        to: 'offline',
        reason: `${failed} of ${wasHealthy.length} healthy nodes failed in one sweep; this machine is probably offline, so no node was marked down`,
        reason_code: 'monitor_offline_guard',
        reason_params: { failed, healthy: wasHealthy.length },
      });
    }
  }

  /**
   * Decides the node's state from its own record and, with a decider, the other monitors' views;
   * returns the change of its settled state (transitions are told between settled states, as the
   * record's are), or null.
   */
  #settle(id: string, runtime: NodeRuntime): { from: HealthState; to: HealthState } | null {
    const { record } = runtime;
    const before = runtime.decided;
    let next = { state: record.state, settled: record.settled };
    runtime.decision = null;
    if (this.#decider && record.state !== 'maintenance') {
      const decision = this.#decider.decide(id, this.ownViewOf(id), this.#offline);
      runtime.decision = decision;
      // Nobody could vote (this view unknown or blind, the peers not heard yet): the decision stands, as before a restart.
      next = decision.needed > 0 ? { state: decision.status, settled: decision.status === 'degraded' ? before.settled : decision.status } : before;
    }
    runtime.decided = next;
    return next.settled !== before.settled ? { from: before.settled, to: next.settled } : null;
  }

  /** Logs a decided change: the failing check's reason when this monitor decided alone, else the votes. */
  #logChange(id: string, runtime: NodeRuntime, change: { from: HealthState; to: HealthState }, result: NodeCheckResult | null): void {
    const decision = runtime.decision;
    const why = result && (!decision || decision.alone) ? transitionReason(result, change.from) : quorumReason(decision, change.to);
    this.#log({ node: id, kind: 'transition', from: change.from, to: change.to, ...why });
  }

  #track(node: Node): NodeRuntime {
    const initial = initialRecord(node.maintenance ? 'maintenance' : 'unknown');
    const runtime: NodeRuntime = {
      record: initial,
      decided: { state: initial.state, settled: initial.settled },
      decision: null,
      last: null,
      history: new LatencyHistory(rawCapacityFor(this.#settings.interval_s)),
    };
    this.#nodes.set(node.id, runtime);
    return runtime;
  }

  #setMaintenance(node: Node): void {
    const runtime = this.#nodes.get(node.id) ?? this.#track(node);
    const from = runtime.decided.settled;
    runtime.record = initialRecord(node.maintenance ? 'maintenance' : 'unknown');
    this.#settle(node.id, runtime);
    this.#log({ node: node.id, kind: 'transition', from, to: runtime.decided.state, reason: node.maintenance ? 'maintenance started' : 'maintenance ended', reason_code: node.maintenance ? 'maintenance_started' : 'maintenance_ended' });
    this.events.emit('health', [{ id: node.id, health: this.healthOf(node.id) }]);
  }

  /** Lets other services (SSH host keys, the store) put an event in the same log and stream. */
  logEvent(event: Omit<HealthEvent, 'seq' | 'at'>): void {
    this.#log(event);
  }

  #log(event: Omit<HealthEvent, 'seq' | 'at'>): void {
    this.events.emit('event', this.eventLog.append({ ...event, at: new Date(this.#now()).toISOString() }));
  }

  #publishStatus(): void {
    this.events.emit('status', this.status());
  }

  #statusQueued = false;
  /** Coalesces a burst of changes (an import applies many nodes at once) into one status. */
  #publishStatusSoon(): void {
    if (this.#statusQueued) return;
    this.#statusQueued = true;
    queueMicrotask(() => {
      this.#statusQueued = false;
      this.#publishStatus();
    });
  }

  #schedule(delayMs: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref?.();
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    if (!this.#running) return;
    const started = this.#now();
    if (!this.paused) {
      try {
        await this.sweep();
      } catch (error) {
        console.error('[monitor] sweep failed:', error);
      }
    }
    if (!this.#running) return;
    const { interval_s, jitter } = this.#settings;
    const wait = interval_s * 1000 * (1 + Math.random() * jitter) - (this.#now() - started);
    this.#schedule(Math.max(0, wait));
  }
}
