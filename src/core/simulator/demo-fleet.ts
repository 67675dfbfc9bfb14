import fs from 'node:fs';
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

/** Specs for the demo fleet: every node healthy but one slow node and one scripted outage. */
export function demoSpecs(document: { nodes: Record<string, unknown> }, outageNode: string, downAtMs: number, upAtMs: number, sshHostKey?: string): SimNodeSpec[] {
  return Object.entries(document.nodes).map(([id, raw]) => {
    const node = NodeSchema.parse({ id, ...(raw as object) });
    const http = node.probes.find((p) => p.type === 'http');
    const tcp = node.probes.find((p) => p.type === 'tcp');
    const ssh = node.probes.find((p) => p.type === 'ssh');
    return {
      ip: node.tailscale_ip,
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

/** Imports the demo fleet into the registry and serves it on loopback, with node-07 failing after 20 s for 60 s. */
export async function startDemoFleet(registry: NodeRegistry, nodesFile: string, dataDir: string): Promise<{ simulator: FleetSimulator; report: ImportReport }> {
  const document = readJsonFile(nodesFile, 'demo') as { nodes: Record<string, unknown> };
  const simulator = await new FleetSimulator(demoSpecs(document, 'node-07', 20_000, 80_000, demoHostKey(dataDir))).start();
  const report = registry.importSeed(tagDemo(document), { skip_invalid: true });
  return { simulator, report };
}
