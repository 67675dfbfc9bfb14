import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OrchestratorError, parseOrThrow } from '../../shared/errors';
import { TailscaleImportOptionsSchema, type TailscaleImportReport, type TailscalePresence, type TailscaleStatus } from '../../shared/schemas/tailscale';
import type { NodeRegistry } from '../registry/node-registry';
import type { ClusterMonitor } from '../monitor/cluster-monitor';
import { planTailscaleImport } from './tailscale-import';
import { addressKey } from '../registry/unique-address';

const run = promisify(execFile);

export interface HostKeyPinner {
  /** Pins announced host keys for a node unless it already has a pin. */
  prePin(nodeId: string, announcedKeys: string[]): void;
}

/** Tailscale discovery: import the tailnet's machines, and compare Tailscale's presence with our probes. */
export class TailscaleService {
  #last: { status: TailscaleStatus; at: string } | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: NodeRegistry,
    private readonly monitor: ClusterMonitor,
    private readonly pinner?: HostKeyPinner,
  ) {}

  /** Diff, then apply unless `dry_run`. A malformed document throws and changes nothing. */
  import(document: unknown, options: unknown = {}): TailscaleImportReport {
    const opts = parseOrThrow(TailscaleImportOptionsSchema, options ?? {});
    const plan = planTailscaleImport(document, opts, this.registry.all());
    this.#last = { status: plan.status, at: new Date().toISOString() };
    if (opts.dry_run || plan.changes.length === 0) {
      if (!opts.dry_run) this.#prePin(plan.hostKeys);
      return plan.report;
    }
    this.registry.applyNodes(plan.changes);
    this.#prePin(plan.hostKeys);
    return { ...plan.report, applied: true };
  }

  /** Runs `tailscale status --json` when the CLI is installed. */
  async readFromCli(binary = process.env.TAILSCALE_BIN ?? 'tailscale'): Promise<unknown> {
    try {
      const { stdout } = await run(binary, ['status', '--json'], { timeout: 10_000, maxBuffer: 32 * 1024 * 1024 });
      return JSON.parse(stdout);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new OrchestratorError('unavailable', 'The tailscale CLI is not installed here; paste or upload the output of `tailscale status --json` instead', [], { code: 'tailscale_not_installed' });
      const detail = (error as Error).message.slice(0, 300);
      throw new OrchestratorError('unavailable', `tailscale status --json failed: ${detail}`, [], { code: 'tailscale_failed', params: { detail } });
    }
  }

  /** Keeps Tailscale's Online/LastSeen fresh by polling the CLI (optional; off by default). */
  startSync(intervalMs: number): void {
    this.stopSync();
    const tick = async () => {
      try {
        const document = await this.readFromCli();
        const plan = planTailscaleImport(document, { dry_run: true }, this.registry.all());
        this.#last = { status: plan.status, at: new Date().toISOString() };
      } catch (error) {
        console.error(`[tailscale] sync failed: ${(error as Error).message}`);
      }
    };
    void tick();
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref?.();
  }

  stopSync(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Tailscale's view beside our probes, for every registered node Tailscale knows. */
  presence(): { synced_at: string | null; nodes: TailscalePresence[] } {
    if (!this.#last) return { synced_at: null, nodes: [] };
    const peers = [...Object.values(this.#last.status.Peer ?? {}), ...(this.#last.status.Self ? [this.#last.status.Self] : [])];
    const nodes: TailscalePresence[] = [];
    for (const node of this.registry.all()) {
      // A node is Tailscale's peer by its kept DNS name, its IP, or its address when that is the MagicDNS name.
      const dns = (p: (typeof peers)[number]) => addressKey(p.DNSName);
      const peer = peers.find((p) => (node.dns_name && dns(p) === addressKey(node.dns_name)) || (p.TailscaleIPs ?? []).includes(node.tailscale_ip) || (p.DNSName && dns(p) === addressKey(node.tailscale_ip)));
      if (!peer) continue;
      const probeState = this.monitor.stateOf(node.id);
      let disagreement: string | null = null;
      if (peer.Online && probeState === 'unhealthy') disagreement = 'Tailscale says online, but our probes fail';
      else if (!peer.Online && probeState === 'healthy') disagreement = 'Tailscale says offline, but our probes succeed';
      const lastSeen = peer.LastSeen && !peer.LastSeen.startsWith('0001-') ? peer.LastSeen : null;
      nodes.push({ node_id: node.id, online: peer.Online, last_seen: lastSeen, probe_state: probeState, disagreement });
    }
    return { synced_at: this.#last.at, nodes };
  }

  #prePin(hostKeys: Map<string, string[]>): void {
    if (!this.pinner) return;
    for (const [id, keys] of hostKeys) this.pinner.prePin(id, keys);
  }
}
