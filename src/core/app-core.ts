import { readJsonFile } from './util/read-json-file';
import type { MonitorSettings } from '../shared/schemas/settings';
import { acquireDataDirLock, type DataDirLock } from './registry/data-dir-lock';
import { ensureDataDir } from './registry/data-dir';
import { confStoreFactory, type StoreFactory } from './registry/json-store';
import { NodeRegistry } from './registry/node-registry';
import type { ImportReport } from '../shared/schemas/seed-format';
import { ClusterMonitor } from './monitor/cluster-monitor';
import { EventLog } from './monitor/event-log';
import { OrchestratorError } from '../shared/errors';
import type { FleetSimulator } from './simulator/fleet-simulator';
import { TailscaleService } from './tailscale/tailscale-service';
import { SshService } from './ssh/ssh-service';
import type { SshAuthOptions } from './ssh/ssh-connection-pool';

export interface CoreOptions {
  dataDir: string;
  settings: MonitorSettings;
  /** conf in Node; the Electron shell passes electron-store. */
  storeFactory?: StoreFactory;
  /** A seed-format nodes.json imported when the registry is empty at start. */
  nodesFilePath?: string;
  log?: (line: string) => void;
  /** SSH: key, agent, host-key policy, fan-out and metrics interval. */
  ssh?: Partial<SshAuthOptions> & { concurrency?: number; metricsIntervalMs?: number };
  /** The bundled demo fleet (data/nodes.json), offered to new users from the empty state. */
  demoNodesFile?: string;
}

/** The services every face (Electron IPC, REST, MCP) is a thin layer over. */
export interface Core {
  dataDir: string;
  lock: DataDirLock;
  registry: NodeRegistry;
  monitor: ClusterMonitor;
  eventLog: EventLog;
  tailscale: TailscaleService;
  ssh: SshService;
  initialImport: ImportReport | null;
  demoNodesFile: string | null;
  /** Starts the simulated demo fleet in this process and imports it. */
  startDemo(): Promise<ImportReport>;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const log = options.log ?? ((line) => console.error(line));
  const dataDir = ensureDataDir(options.dataDir);
  const lock = acquireDataDirLock(dataDir);
  try {
    const eventLog = new EventLog({ dataDir });
    const registry = new NodeRegistry({
      dataDir,
      storeFactory: options.storeFactory ?? confStoreFactory,
      onRecovery: (recovery) => {
        log(`!!! Store file ${recovery.file} ${recovery.reason}. The original was kept at ${recovery.moved_to}.`);
        eventLog.append({ node: null, kind: 'store_recovered', from: null, to: null, reason: `${recovery.reason}; original kept at ${recovery.moved_to}` });
      },
    });
    let initialImport: ImportReport | null = null;
    if (registry.size === 0 && options.nodesFilePath) {
      const document = readJsonFile(options.nodesFilePath, 'NODES_FILE_PATH');
      initialImport = registry.importSeed(document, { skip_invalid: true });
      log(`Imported ${initialImport.added.length} nodes from ${options.nodesFilePath}` + (initialImport.invalid.length ? `; ${initialImport.invalid.length} invalid field(s) skipped` : ''));
    }
    const monitor = new ClusterMonitor({ registry, settings: options.settings, eventLog });
    const ssh = new SshService({
      dataDir,
      storeFactory: options.storeFactory ?? confStoreFactory,
      registry,
      monitor,
      auth: { hostKeyPolicy: 'tofu', agentSocket: process.env.SSH_AUTH_SOCK, ...options.ssh },
      concurrency: options.ssh?.concurrency ?? 32,
      metricsIntervalMs: options.ssh?.metricsIntervalMs ?? 60_000,
    });
    const tailscale = new TailscaleService(registry, monitor, ssh.hostKeys);
    let demo: FleetSimulator | null = null;
    return {
      dataDir,
      lock,
      registry,
      monitor,
      eventLog,
      tailscale,
      ssh,
      initialImport,
      demoNodesFile: options.demoNodesFile ?? null,
      async startDemo() {
        if (!options.demoNodesFile) throw new OrchestratorError('unavailable', 'No demo fleet is bundled with this build');
        if (demo) return registry.importSeed(readJsonFile(options.demoNodesFile, 'demo'), { dry_run: true });
        const { startDemoFleet } = await import('./simulator/demo-fleet'); // the simulator only when asked for
        const started = await startDemoFleet(registry, options.demoNodesFile);
        demo = started.simulator;
        void monitor.sweep();
        return started.report;
      },
      async close() {
        monitor.dispose();
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
