import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import ssh2 from 'ssh2';
import { readJsonFile } from '../util/read-json-file';
import { NodeSchema } from '../../shared/schemas/node';
import type { ImportReport } from '../../shared/schemas/seed-format';
import type { NodeRegistry } from '../registry/node-registry';
import { FleetSimulator } from './fleet-simulator';
import { generatedHostKey, type SimNodeSpec } from './sim-node';

const { utils: sshUtils } = ssh2; // CommonJS package: no named ESM exports

/** The demo's SSH host key, made once per data dir, so nodes pinned on first use stay trusted next run. */
export function demoHostKey(dataDir: string): string {
  const file = path.join(dataDir, 'demo-ssh-host-key');
  try {
    const stored = fs.readFileSync(file, 'utf8');
    if (!(sshUtils.parseKey(stored) instanceof Error)) return stored;
  } catch {
    /* not made yet */
  }
  const key = generatedHostKey();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(`${file}.tmp`, key, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return key;
}

/**
 * Where the demo fleet lives on loopback. Linux answers on all of 127.0.0.0/8, so each node gets an
 * address (`per-node`); macOS configures only 127.0.0.1 on lo0, so there every node shares it with
 * ports of its own (`single`). Detected by binding the fleet's first address; no root needed either way.
 */
export const DEMO_LOOPBACK_MODES = ['per-node', 'single'] as const;
export type DemoLoopback = (typeof DEMO_LOOPBACK_MODES)[number];
export const SINGLE_ADDRESS = '127.0.0.1';

export async function detectDemoLoopback(document: { nodes: Record<string, unknown> }): Promise<DemoLoopback> {
  const first = Object.values(document.nodes).map((raw) => (raw as { tailscale_ip?: unknown }).tailscale_ip).find((ip) => typeof ip === 'string');
  if (typeof first !== 'string' || first === SINGLE_ADDRESS) return 'per-node';
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve('single')); // EADDRNOTAVAIL: the OS has no such loopback address
    server.listen({ host: first, port: 0 }, () => server.close(() => resolve('per-node')));
  });
}

/**
 * The document as the demo serves it: unchanged per node, or in `single` mode every node on
 * 127.0.0.1 with each port moved up by the node's position (9100, 9101, …; SSH 2222, 2223, …).
 */
export function placeDemoFleet(document: { nodes: Record<string, unknown> }, loopback: DemoLoopback): { nodes: Record<string, unknown> } {
  if (loopback === 'per-node') return document;
  type RawNode = { probes?: Array<{ port?: unknown }>; ssh?: { port?: unknown } | null };
  const shift = (port: unknown, i: number, fallback?: number) => (typeof port === 'number' ? port + i : fallback === undefined ? port : fallback + i);
  return {
    nodes: Object.fromEntries(
      Object.entries(document.nodes).map(([id, raw], i) => {
        const node = raw as RawNode;
        return [id, {
          ...node,
          tailscale_ip: SINGLE_ADDRESS,
          ...(Array.isArray(node.probes) ? { probes: node.probes.map((p) => ({ ...p, port: shift(p.port, i) })) } : {}),
          ...(node.ssh ? { ssh: { ...node.ssh, port: shift(node.ssh.port, i, 22) } } : {}),
        }];
      }),
    ),
  };
}

/** Specs for the demo fleet: every node healthy but one slow node and one scripted outage. */
export function demoSpecs(document: { nodes: Record<string, unknown> }, outageNode: string, downAtMs: number, upAtMs: number, sshHostKey?: string): SimNodeSpec[] {
  return Object.entries(document.nodes).map(([id, raw]) => {
    const node = NodeSchema.parse({ id, ...(raw as object) });
    const http = node.probes.find((p) => p.type === 'http');
    const tcp = node.probes.find((p) => p.type === 'tcp');
    const ssh = node.probes.find((p) => p.type === 'ssh');
    return {
      ip: node.tailscale_ip,
      name: id,
      http_port: http?.type === 'http' ? http.port : undefined,
      tcp_port: tcp?.type === 'tcp' ? tcp.port : undefined,
      // Nodes with an `ssh` block get an SSH endpoint, so metrics and commands meet a real handshake.
      ssh_port: ssh?.type === 'ssh' ? ssh.port : node.ssh ? (node.ssh.port ?? 22) : undefined,
      ssh_host_key: sshHostKey,
      behaviour: id === outageNode ? 'outage' : id.endsWith('3') ? 'slow' : 'healthy',
      slow_ms: 120,
      down_at_ms: downAtMs,
      up_at_ms: upAtMs,
    };
  });
}


/** The tag "Start the demo fleet" gives every node it imports, so "Remove demo nodes" finds them. */
export const DEMO_TAG = 'demo';

/** The seed document with every node tagged `demo`. */
export function tagDemo(document: unknown): { nodes: Record<string, unknown> } {
  const { nodes } = document as { nodes: Record<string, { tags?: unknown }> };
  return {
    nodes: Object.fromEntries(
      Object.entries(nodes).map(([id, raw]) => {
        const tags = Array.isArray(raw?.tags) ? (raw.tags as unknown[]) : [];
        return [id, { ...raw, tags: tags.includes(DEMO_TAG) ? tags : [...tags, DEMO_TAG] }];
      }),
    ),
  };
}

/** The demo document read from `nodesFile` and placed for this machine's loopback (detected unless given). */
export async function loadDemoFleet(nodesFile: string, loopback?: DemoLoopback): Promise<{ document: { nodes: Record<string, unknown> }; loopback: DemoLoopback }> {
  const read = readJsonFile(nodesFile, 'demo') as { nodes: Record<string, unknown> };
  const mode = loopback ?? (await detectDemoLoopback(read));
  return { document: placeDemoFleet(read, mode), loopback: mode };
}

/** Imports the demo fleet into the registry and serves it on loopback, with node-07 failing after 20 s for 60 s. */
export async function startDemoFleet(registry: NodeRegistry, nodesFile: string, dataDir: string): Promise<{ simulator: FleetSimulator; report: ImportReport }> {
  const { document } = await loadDemoFleet(nodesFile);
  const simulator = await new FleetSimulator(demoSpecs(document, 'node-07', 20_000, 80_000, demoHostKey(dataDir))).start();
  const report = registry.importSeed(tagDemo(document), { skip_invalid: true });
  return { simulator, report };
}
