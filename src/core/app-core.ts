import os from 'node:os';
import { readJsonFile } from './util/read-json-file';
import type { MonitorSettings } from '../shared/schemas/settings';
import { acquireDataDirLock, acquireDataDirLockAsync, type DataDirLock } from './registry/data-dir-lock';
import { ensureDataDir } from './registry/data-dir';
import { confStoreFactory, memoryStoreFactory, type StoreFactory, type StoreRecovery } from './registry/json-store';
import { MonitorPersistence } from './monitor/monitor-persistence';
import { SettingsStore, type PinnedSources } from './monitor/settings-store';
import { NodeRegistry } from './registry/node-registry';
import type { ImportReport, NodesFileStatus } from '../shared/schemas/seed-format';
import { NodesFileSync } from './registry/nodes-file-sync';
import { ClusterMonitor } from './monitor/cluster-monitor';
import { EventLog } from './monitor/event-log';
import { OrchestratorError } from '../shared/errors';
import type { FleetSimulator } from './simulator/fleet-simulator';
import { TailscaleService } from './tailscale/tailscale-service';
import { SshService } from './ssh/ssh-service';
import type { SshAuthOptions } from './ssh/ssh-connection-pool';
import { AlertService, type AlertServiceOptions } from './alerts/alert-service';
import { PrometheusMetrics } from './metrics/prometheus-metrics';
import { checkNode } from './prober/check-node';
import { probeUserAgent } from './prober/http-probe';
import { installLastResortHandlers } from './util/last-resort';
import { ContainerService } from './containers/container-service';
import { SwarmService } from './containers/swarm-service';
import { FailoverPolicy } from './containers/failover-policy';
import { surveyFleet, workloadOf } from './workloads/fleet-survey';
import { SwarmLabelSync } from './workloads/node-labels';
import { WorkloadService } from './workloads/workload-service';
import { MonitorPeers } from './peers/monitor-peers';
import { PeerStore } from './peers/peer-store';
import type { MonitorPeer } from '../shared/schemas/peers';
import { DEFAULT_SERVICE_PENDING_ALERT_AFTER_MS, ServiceWatch } from './workloads/service-watch';
import { TokenStore } from './auth/token-store';
import type { PlacementResponse } from '../shared/schemas/ssh';
import type { Node, NodePatch } from '../shared/schemas/node';

export interface CoreOptions {
  dataDir: string;
  /** Defaults, or values from the environment/flags; values the operator saved apply over them unless pinned. */
  settings: MonitorSettings;
  /** Settings given by the environment or flags: these win over saved values at start. */
  settingSources?: PinnedSources;
  /** conf in Node; the Electron shell passes electron-store. */
  storeFactory?: StoreFactory;
  /** A seed-format nodes.json imported when the registry is empty at start. */
  nodesFilePath?: string;
  /** sync: the file is the fleet's source of truth, watched; writes here answer 409 (default import). */
  nodesFileMode?: 'import' | 'sync';
  log?: (line: string) => void;
  /** SSH: key, agent, host-key policy, fan-out and metrics interval. */
  ssh?: Partial<SshAuthOptions> & { concurrency?: number; metricsIntervalMs?: number };
  /** The bundled demo fleet (data/nodes.json), offered to new users from the empty state. */
  demoNodesFile?: string;
  /** Environment webhooks (ALERT_WEBHOOK_URL), grouping window and delivery retries. */
  alerts?: Pick<AlertServiceOptions, 'envWebhookUrls' | 'envAlertmanagerUrls' | 'instance' | 'webUrl' | 'groupWindowMs' | 'delivery' | 'sender'>;
  /** SWARM_FAILOVER from the environment. */
  failover?: { enabledFromEnv?: boolean };
  /** MONITOR_PEERS: the other monitors of this fleet, followed for their own view of each node. */
  monitorPeers?: MonitorPeer[];
  /** Where MONITOR_PEERS was set (it pins the peers: the settings cannot change them). */
  monitorPeersSource?: 'environment' | 'flag' | '.env file';
  /** QUORUM: counted votes that decide a node's state (default: a majority of the voting monitors). */
  quorum?: number;
  /** SERVICE_PENDING_ALERT_AFTER in ms: a replica pending this long is an alert (default 5 min). */
  servicePendingAlertAfterMs?: number;
  /** This build's version: HTTP probes say `mcp-cloud-orchestrator/<version> (<instance>)`. */
  version?: string;
  /** The data directory's lock, taken beforehand (`openCore`); without it the lock is taken here. */
  lock?: DataDirLock;
}

/** The services every face (Electron IPC, REST, MCP) is a thin layer over. */
export interface Core {
  dataDir: string;
  lock: DataDirLock;
  registry: NodeRegistry;
  monitor: ClusterMonitor;
  /** Where each monitor setting came from, and the operator's saved changes. */
  settings: SettingsStore;
  eventLog: EventLog;
  tailscale: TailscaleService;
  ssh: SshService;
  alerts: AlertService;
  metrics: PrometheusMetrics;
  /** Containers on Docker-enabled nodes, over their SSH connections. */
  containers: ContainerService;
  swarm: SwarmService;
  failover: FailoverPolicy;
  /** Services and jobs on Docker Swarm. */
  workloads: WorkloadService;
  /** The other monitors of this fleet and their views (MONITOR_PEERS). */
  peers: MonitorPeers;
  /** Scoped API tokens (viewer, operator, admin) beside the admin token. */
  tokens: TokenStore;
  /** Silences a node's alerts for `hours` (0 unmutes): an operator's action, audited with its actor. */
  muteNode(id: string, hours: number, actor: string): Node;
  /** Puts a node in maintenance or takes it out: an operator's action, audited with its actor. */
  setMaintenance(id: string, maintenance: boolean, actor: string): Node;
  /** Placement: healthy nodes with room, from metrics and, where Docker answers, what already runs there. */
  suggest(input: unknown): Promise<PlacementResponse>;
  initialImport: ImportReport | null;
  /** Where the fleet is defined: this registry, or a nodes file it imported or follows. */
  nodesFile(): NodesFileStatus;
  demoNodesFile: string | null;
  /** Installs the process's last-resort error handlers, which record into this core's event log. */
  guardProcess(): () => void;
  /** Starts the simulated demo fleet in this process and imports it, each node tagged `demo`. */
  startDemo(): Promise<ImportReport>;
  /** Removes the nodes tagged `demo` in one write and stops the simulated fleet. */
  removeDemo(): Promise<{ removed: string[] }>;
  close(): Promise<void>;
}

/** Creates the core after taking its data directory's lock without blocking the event loop (off Linux the OS is asked who owns it). */
export async function openCore(options: Omit<CoreOptions, 'lock'>): Promise<Core> {
  const lock = await acquireDataDirLockAsync(ensureDataDir(options.dataDir));
  return createCore({ ...options, lock }); // which releases the lock if it fails
}

export function createCore(options: CoreOptions): Core {
  const log = options.log ?? ((line) => console.error(line));
  const dataDir = ensureDataDir(options.dataDir);
  const lock = options.lock ?? acquireDataDirLock(dataDir);
  try {
    const eventLog = new EventLog({ dataDir });
    const onRecovery = (recovery: StoreRecovery): void => {
      log(`!!! Store file ${recovery.file} ${recovery.reason}. The original was kept at ${recovery.moved_to}.`);
      eventLog.append({ node: null, kind: 'store_recovered', from: null, to: null, reason: `${recovery.file} ${recovery.reason}; original kept at ${recovery.moved_to}` });
    };
    const registry = new NodeRegistry({ dataDir, storeFactory: options.storeFactory ?? confStoreFactory, onRecovery });
    let initialImport: ImportReport | null = null;
    const syncMode = options.nodesFileMode === 'sync' && options.nodesFilePath !== undefined;
    if (registry.size === 0 && options.nodesFilePath && !syncMode) {
      const document = readJsonFile(options.nodesFilePath, 'NODES_FILE_PATH');
      initialImport = registry.importSeed(document, { skip_invalid: true });
      log(`Imported ${initialImport.added.length} nodes from ${options.nodesFilePath}` + (initialImport.invalid.length ? `; ${initialImport.invalid.length} invalid field(s) skipped` : ''));
    }
    const settings = new SettingsStore({
      dataDir, storeFactory: options.storeFactory ?? confStoreFactory, base: options.settings, pinned: options.settingSources, onRecovery,
      onRefused: (keys) => log(`Saved monitor settings not valid in this version were left at their defaults: ${keys.join(', ')}`),
    });
    const instance = options.alerts?.instance ?? os.hostname();
    const userAgent = probeUserAgent(options.version ?? 'dev', instance);
    const metrics = new PrometheusMetrics(instance);
    const monitor = new ClusterMonitor({ registry, settings: settings.effective, eventLog, checker: metrics.timed((node, timeoutMs) => checkNode(node, timeoutMs, { userAgent })), persistSettings: (before, after) => settings.saveChanges(before, after) });
    const nodesFile = syncMode ? new NodesFileSync({ file: options.nodesFilePath!, registry, log, logEvent: (event) => monitor.logEvent(event) }) : null;
    nodesFile?.start();
    // States, history and the monitor's own stops and starts survive restarts (not for in-memory stores).
    const persistence = options.storeFactory === memoryStoreFactory ? null : new MonitorPersistence({ dataDir, monitor, log });
    const ssh = new SshService({
      dataDir,
      storeFactory: options.storeFactory ?? confStoreFactory,
      registry,
      monitor,
      auth: { hostKeyPolicy: 'tofu', agentSocket: process.env.SSH_AUTH_SOCK, ...options.ssh },
      concurrency: options.ssh?.concurrency ?? 32,
      metricsIntervalMs: options.ssh?.metricsIntervalMs ?? 60_000,
      onStoreRecovery: onRecovery,
    });
    // The watch of pending services comes after the alerts that tell of it; Alertmanager's resends ask it.
    let serviceWatch: ServiceWatch | null = null;
    const alerts = new AlertService({
      dataDir, storeFactory: options.storeFactory ?? confStoreFactory, registry, monitor, onRecovery, audit: ssh.audit, ...options.alerts, instance,
      servicePending: (name) => serviceWatch?.stillPending(name) ?? null,
    });
    metrics.attach(registry, monitor, alerts);
    const tailscale = new TailscaleService(registry, monitor, ssh.hostKeys);
    const containers = new ContainerService(registry, ssh.pool, ssh.audit);
    const swarm = new SwarmService(registry, containers, ssh.audit);
    const failover = new FailoverPolicy({ dataDir, storeFactory: options.storeFactory ?? confStoreFactory, onRecovery, registry, monitor, swarm, ...options.failover });
    const swarmLabels = new SwarmLabelSync(registry, containers, swarm);
    const suggest = async (input: unknown) => ssh.suggest(input, workloadOf(await surveyFleet(registry, containers, swarm)));
    const workloads = new WorkloadService(registry, containers, swarm, swarmLabels, ssh.audit, { suggest, metricsOf: (id) => ssh.metrics.latest(id), stateOf: (id) => monitor.healthOf(id).status });
    serviceWatch = new ServiceWatch({
      dataDir, storeFactory: options.storeFactory ?? confStoreFactory, onRecovery, registry, list: () => workloads.list(), logEvent: (event) => monitor.logEvent(event),
      pendingAfterMs: options.servicePendingAlertAfterMs ?? DEFAULT_SERVICE_PENDING_ALERT_AFTER_MS,
    });
    serviceWatch.start();
    const watch = serviceWatch;
    const peers = new MonitorPeers({
      instance, peers: options.monitorPeers, peersSource: options.monitorPeersSource, quorum: options.quorum, registry, monitor, log, audit: ssh.audit,
      store: new PeerStore(dataDir, options.storeFactory ?? confStoreFactory, onRecovery), setGate: (gate) => alerts.setGate(gate),
    });
    const tokens = new TokenStore(dataDir, ssh.audit, onRecovery);
    // Recorded before the change, like every audited action: an entry that cannot be written stops it.
    const operate = (id: string, actor: string, action: string, detail: string, patch: NodePatch): Node => {
      registry.require(id);
      ssh.audit.record({ actor, action, nodes: [id], detail, outcome: 'ok' });
      return registry.update(id, patch);
    };
    let demo: FleetSimulator | null = null;
    return {
      dataDir,
      lock,
      registry,
      monitor,
      settings,
      eventLog,
      tailscale,
      ssh,
      alerts,
      metrics,
      containers,
      swarm,
      failover,
      workloads,
      peers,
      tokens,
      suggest,
      muteNode: (id, hours, actor) => {
        const node = operate(id, actor, 'mute_node', hours === 0 ? 'unmuted' : `muted for ${hours} h`, { muted_until: hours === 0 ? null : new Date(Date.now() + hours * 3600_000).toISOString() });
        void alerts.followMute(node, actor); // Alertmanager silences follow, off the caller's path
        return node;
      },
      setMaintenance: (id, maintenance, actor) => operate(id, actor, 'set_maintenance', maintenance ? 'maintenance on' : 'maintenance off', { maintenance }),
      initialImport,
      nodesFile: () => nodesFile?.status ?? { file: options.nodesFilePath ?? null, mode: options.nodesFilePath ? 'import' : 'none', applied_at: null, error: null },
      demoNodesFile: options.demoNodesFile ?? null,
      guardProcess: () => installLastResortHandlers({ log, record: (reason) => eventLog.append({ node: null, kind: 'internal_error', from: null, to: null, reason }) }),
      async startDemo() {
        if (!options.demoNodesFile) throw new OrchestratorError('unavailable', 'No demo fleet is bundled with this build');
        const { loadDemoFleet, startDemoFleet, tagDemo } = await import('./simulator/demo-fleet'); // the simulator only when asked for
        if (demo) return registry.importSeed(tagDemo((await loadDemoFleet(options.demoNodesFile)).document), { dry_run: true });
        const started = await startDemoFleet(registry, options.demoNodesFile, dataDir);
        demo = started.simulator;
        void monitor.sweep();
        return started.report;
      },
      async removeDemo() {
        const { DEMO_TAG } = await import('./simulator/demo-fleet');
        const removed = registry.removeWhere((node) => node.tags.includes(DEMO_TAG));
        await demo?.stop();
        demo = null;
        return { removed };
      },
      async close() {
        watch.dispose();
        peers.close();
        nodesFile?.close();
        monitor.dispose();
        failover.dispose();
        swarmLabels.dispose();
        tokens.close();
        persistence?.dispose();
        alerts.dispose();
        metrics.dispose();
        tailscale.stopSync();
        ssh.close();
        await demo?.stop();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
