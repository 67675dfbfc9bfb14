import type { Counter, Histogram, Registry } from 'prom-client';
import { HEALTH_STATES, type HealthState, type Node } from '../../shared/schemas/node';
import type { NodeChecker } from '../prober/check-node';
import type { ClusterMonitor } from '../monitor/cluster-monitor';
import type { NodeRegistry } from '../registry/node-registry';
import type { AlertService } from '../alerts/alert-service';
import { DELIVERY_OUTCOMES } from '../alerts/alert-delivery';
import { loadPromClient } from '../util/lazy-modules';

const PROBE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SWEEP_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The Prometheus view of the core (`GET /metrics`). Node and cluster gauges are computed at scrape
 * time from the monitor, so a removed node's series disappear with it; histograms and counters are
 * fed by probes, sweeps and alert deliveries as they happen.
 *
 * Nothing is recorded until a face that serves the metrics calls enable() (the stdio MCP server and
 * the desktop app without REST never do). prom-client, with its process collectors, then loads at the
 * first scrape, or a few seconds after the first observation (the start's first sweep), never on the
 * start's path; observations made before it is there are kept and applied once it is.
 */
/** How long after the first observation prom-client loads if no scrape asked for it before. */
const LOAD_AFTER_MS = 3000;

export class PrometheusMetrics {
  #loadTimer: NodeJS.Timeout | null = null;
  #instruments: Instruments | null = null;
  #loading: Promise<Instruments> | null = null;
  #pending: Array<(instruments: Instruments) => void> = [];
  #attached: { registry: NodeRegistry; monitor: ClusterMonitor } | null = null;
  #enabled = false;
  #disposed = false;
  #offs: Array<() => void> = [];

  /** `instance` names this monitor (mco_instance_info), as two monitors of one fleet are told apart. */
  constructor(private readonly instance = 'local') {}

  /** Starts recording (GET /metrics does, when it is registered). */
  enable(): void {
    this.#enabled = true;
  }

  /** Wraps the node checker so every check lands in the probe histogram. */
  timed(checker: NodeChecker): NodeChecker {
    return async (node, timeoutMs) => {
      const started = performance.now();
      const result = await checker(node, timeoutMs);
      const seconds = (performance.now() - started) / 1000;
      this.#record((i) => i.probe.observe({ result: result.ok ? 'ok' : 'failed' }, seconds));
      return result;
    };
  }

  /** Reads the monitor at scrape time and counts sweeps and alert deliveries. */
  attach(registry: NodeRegistry, monitor: ClusterMonitor, alerts: AlertService): void {
    this.#attached = { registry, monitor };
    this.#offs = [
      monitor.events.on('sweep', ({ duration_ms }) => this.#record((i) => i.sweep.observe(duration_ms / 1000))),
      alerts.events.on('delivery', ({ channel, outcome }) => this.#record((i) => i.alerts.inc({ channel: channel.id, result: outcome }))),
      // A removed channel's series go too: ids come and go, and series must not pile up.
      alerts.events.on('channelRemoved', ({ id }) => this.#record((i) => DELIVERY_OUTCOMES.forEach((result) => i.alerts.remove({ channel: id, result })))),
    ];
  }

  /** The text exposition format. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    this.enable();
    const { registry } = await this.#load();
    return { contentType: registry.contentType, body: await registry.metrics() };
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#loadTimer) clearTimeout(this.#loadTimer);
    this.#offs.forEach((off) => off());
    this.#pending = [];
    this.#instruments?.registry.clear();
  }

  #record(observe: (instruments: Instruments) => void): void {
    if (!this.#enabled || this.#disposed) return;
    if (this.#instruments) return observe(this.#instruments);
    this.#pending.push(observe);
    // Not at once: the first sweep's observations come while the service starts (issue 43).
    this.#loadTimer ??= setTimeout(() => void this.#load().catch(() => {}), LOAD_AFTER_MS); // a failed load is reported by the next scrape
    this.#loadTimer.unref?.();
  }

  #load(): Promise<Instruments> {
    if (this.#instruments) return Promise.resolve(this.#instruments);
    this.#loading ??= loadPromClient().then(
      (client) => {
        const instruments = this.#build(client);
        this.#instruments = instruments;
        for (const observe of this.#pending.splice(0)) observe(instruments);
        if (this.#disposed) instruments.registry.clear();
        return instruments;
      },
      (error: unknown) => {
        this.#loading = null;
        throw error;
      },
    );
    return this.#loading;
  }

  #build(client: typeof import('prom-client')): Instruments {
    const target = new client.Registry();
    client.collectDefaultMetrics({ register: target });
    // prom-client names these gauges *_total, which promtool's lint rejects; they add little here.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) target.removeSingleMetric(name);
    const instruments: Instruments = {
      registry: target,
      probe: new client.Histogram({ name: 'mco_probe_duration_seconds', help: 'Duration of one node check (all its probes), by result', labelNames: ['result'], buckets: PROBE_BUCKETS, registers: [target] }),
      sweep: new client.Histogram({ name: 'mco_sweep_duration_seconds', help: 'Wall time of one full sweep over all monitored nodes', buckets: SWEEP_BUCKETS, registers: [target] }),
      alerts: new client.Counter({ name: 'mco_alerts_sent_total', help: 'Alert deliveries by channel and result (sent, retried, failed, dropped)', labelNames: ['channel', 'result'], registers: [target] }),
    };
    // Not a label on every series: Prometheus sets its own `instance` (the scrape target) there.
    new client.Gauge({ name: 'mco_instance_info', help: 'This monitor, named by INSTANCE (default: the hostname); always 1', labelNames: ['name'], registers: [target] }).set({ name: this.instance }, 1);
    if (this.#attached) this.#gauges(client, target, this.#attached);
    return instruments;
  }

  /** Gauges read from the monitor when scraped. */
  #gauges(client: typeof import('prom-client'), target: Registry, { registry, monitor }: { registry: NodeRegistry; monitor: ClusterMonitor }): void {
    const nodes = (): Node[] => registry.all();
    const { Gauge } = client;
    const registers = [target];
    /** 1 per node that is up (healthy or degraded) by `stateOf`, else 0. */
    const upGauge = (name: string, help: string, stateOf: (id: string) => HealthState) =>
      new Gauge({
        name,
        help,
        labelNames: ['node', 'role'],
        registers,
        collect() {
          this.reset();
          for (const n of nodes()) this.set({ node: n.id, role: n.role }, ['healthy', 'degraded'].includes(stateOf(n.id)) ? 1 : 0);
        },
      });
    upGauge('mco_node_up', "1 when the node passes this monitor's own checks by its thresholds (healthy or degraded), else 0", monitor.ownStateOf);
    upGauge('mco_node_quorum_up', '1 when the monitors together (MONITOR_PEERS, QUORUM) see the node up (healthy or degraded), else 0; alone, the same as mco_node_up', monitor.stateOf);
    new Gauge({
      name: 'mco_node_state',
      help: 'The node state: 1 for the current one, 0 for the others',
      labelNames: ['node', 'state'],
      registers,
      collect() {
        this.reset();
        for (const n of nodes()) {
          const current = monitor.stateOf(n.id);
          for (const state of HEALTH_STATES) this.set({ node: n.id, state }, state === current ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'mco_node_latency_seconds',
      help: 'Latency of the last successful check of the node',
      labelNames: ['node'],
      registers,
      collect() {
        this.reset();
        for (const n of nodes()) {
          const latency = monitor.healthOf(n.id).latency_ms;
          if (latency !== null) this.set({ node: n.id }, latency / 1000);
        }
      },
    });
    new Gauge({
      name: 'mco_cluster_availability_ratio',
      help: 'Healthy nodes over monitored nodes (maintenance excluded), 0 to 1',
      registers,
      collect() {
        this.set(monitor.status().availability / 100);
      },
    });
    new Gauge({
      name: 'mco_cluster_nodes',
      help: 'Number of nodes in each state',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = Object.fromEntries(HEALTH_STATES.map((s) => [s, 0]));
        for (const n of nodes()) counts[monitor.stateOf(n.id)]++;
        for (const state of HEALTH_STATES) this.set({ state }, counts[state]);
      },
    });
  }
}

interface Instruments {
  registry: Registry;
  probe: Histogram<'result'>;
  sweep: Histogram;
  alerts: Counter<'channel' | 'result'>;
}
