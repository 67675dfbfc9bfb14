import type { CommandResponse, CommandStreamEvent, CommandTarget, HostKeyPin, NodeMetrics, PlacementResponse } from '../../shared/schemas/ssh';
import type { Node } from '../../shared/schemas/node';
import { Emitter } from '../util/emitter';
import type { ClusterMonitor } from '../monitor/cluster-monitor';
import type { NodeRegistry } from '../registry/node-registry';
import type { StoreFactory, StoreRecovery } from '../registry/json-store';
import { AuditLog } from './audit-log';
import { CommandRunner } from './command-runner';
import { HostKeyStore } from './host-key-store';
import { MetricsCollector } from './metrics-collector';
import { suggestNodes } from './placement';
import type { NodeWorkload } from '../workloads/fleet-survey';
import { SshConnectionPool, sshUser, type SshAuthOptions } from './ssh-connection-pool';

export interface SshServiceOptions {
  dataDir: string;
  storeFactory: StoreFactory;
  registry: NodeRegistry;
  monitor: ClusterMonitor;
  auth: SshAuthOptions;
  concurrency: number;
  /** Background metrics for nodes with an `ssh` block; 0 turns it off. */
  metricsIntervalMs: number;
  onStoreRecovery?: (recovery: StoreRecovery) => void;
}

/** Everything that goes over SSH: commands, metrics, host-key trust, and placement built on metrics. */
export class SshService {
  readonly events = new Emitter<{ command: CommandStreamEvent }>();
  readonly hostKeys: HostKeyStore;
  readonly audit: AuditLog;
  readonly pool: SshConnectionPool;
  readonly metrics: MetricsCollector;
  readonly #runner: CommandRunner;
  readonly #unsubscribe: () => void;

  constructor(private readonly options: SshServiceOptions) {
    this.hostKeys = new HostKeyStore(options.dataDir, options.storeFactory, options.onStoreRecovery);
    this.audit = new AuditLog(options.dataDir);
    this.pool = new SshConnectionPool(this.hostKeys, options.auth, (change) => {
      options.monitor.logEvent({
        node: change.node_id,
        kind: 'host_key_changed',
        from: change.pinned.join(', '),
        to: change.presented,
        reason: `SSH host key changed: pinned ${change.pinned.join(', ')}, presented ${change.presented}; nothing runs on this node until the pin is removed`,
      });
    });
    this.metrics = new MetricsCollector(this.pool, (node, metrics) => this.#fillSize(node.id, metrics));
    this.#runner = new CommandRunner(options.registry, this.pool, this.audit, options.concurrency);
    this.#unsubscribe = options.registry.events.on('change', (change) => {
      const addressChanged = change.type === 'updated' && (change.node.tailscale_ip !== change.previous.tailscale_ip || JSON.stringify(change.node.ssh) !== JSON.stringify(change.previous.ssh));
      if (change.type === 'removed') this.hostKeys.forget(change.node.id);
      if (change.type === 'removed' || addressChanged) this.#disconnect(change.node.id);
    });
    if (options.metricsIntervalMs > 0) {
      this.metrics.start(options.metricsIntervalMs, () => options.registry.all().filter((n) => n.ssh && !n.maintenance && options.monitor.stateOf(n.id) !== 'unhealthy'));
    }
  }

  run(input: unknown, actor: string): Promise<CommandResponse> {
    return this.#runner.run(input, actor, (event) => this.events.emit('command', event));
  }

  /** Who and where a command on these nodes would run as, for the UI to show before it runs. */
  plan(ids: string[]): CommandTarget[] {
    const { registry, monitor } = this.options;
    return ids.map((id) => {
      const node = registry.require(id);
      return { node_id: id, role: node.role, state: monitor.stateOf(id), maintenance: node.maintenance, user: sshUser(node), address: node.tailscale_ip, port: node.ssh?.port ?? 22 };
    });
  }

  cancel(runId: string): boolean {
    return this.#runner.cancel(runId);
  }

  getMetrics(id: string): Promise<NodeMetrics> {
    return this.metrics.collect(this.options.registry.require(id));
  }

  hostKey(id: string): HostKeyPin | null {
    this.options.registry.require(id);
    return this.hostKeys.get(id);
  }

  /** Removes a node's pinned host key; the next connection pins (or asks for) the key it presents. */
  forgetHostKey(id: string, actor: string): void {
    this.options.registry.require(id);
    const had = this.hostKeys.forget(id);
    this.#disconnect(id);
    this.audit.record({ actor, action: 'forget_host_key', nodes: [id], detail: had ? 'pin removed' : 'no pin', outcome: 'ok' });
  }

  /** Pins the key a node presents now (the "approve" host-key policy). */
  approveHostKey(id: string, fingerprints: string[], actor: string): HostKeyPin {
    this.options.registry.require(id);
    this.audit.record({ actor, action: 'approve_host_key', nodes: [id], detail: fingerprints.join(', '), outcome: 'ok' });
    return this.hostKeys.pin(id, fingerprints, 'approved');
  }

  suggest(input: unknown, workload: ReadonlyMap<string, NodeWorkload> = new Map()): PlacementResponse {
    const { registry, monitor } = this.options;
    return suggestNodes(input, registry.all(), monitor.healthOf, (id) => this.metrics.latest(id), (id) => workload.get(id));
  }

  close(): void {
    this.#unsubscribe();
    this.metrics.closeAll();
    this.pool.closeAll();
  }

  /** A node registered without CPU cores or memory gets them from its first metrics. */
  #fillSize(id: string, metrics: NodeMetrics): void {
    const node: Node | undefined = this.options.registry.get(id);
    if (!node || (node.cpu_cores !== undefined && node.memory_gb !== undefined)) return;
    const patch = {
      ...(node.cpu_cores === undefined && metrics.cpu_count > 0 ? { cpu_cores: metrics.cpu_count } : {}),
      ...(node.memory_gb === undefined && metrics.mem_total_mb > 0 ? { memory_gb: Math.round((metrics.mem_total_mb / 1024) * 10) / 10 } : {}),
    };
    if (Object.keys(patch).length === 0) return;
    try {
      this.options.registry.update(id, patch);
    } catch (error) {
      console.error(`[ssh] could not record the size of ${id}: ${(error as Error).message}`);
    }
  }

  #disconnect(id: string): void {
    this.metrics.forget(id);
    this.pool.drop(id);
  }
}

