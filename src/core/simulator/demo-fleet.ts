import { readJsonFile } from '../util/read-json-file';
import { NodeSchema } from '../../shared/schemas/node';
import type { ImportReport } from '../../shared/schemas/seed-format';
import type { NodeRegistry } from '../registry/node-registry';
import { FleetSimulator } from './fleet-simulator';
import type { SimNodeSpec } from './sim-node';

/** Specs for the demo fleet: every node healthy but one slow node and one scripted outage. */
export function demoSpecs(document: { nodes: Record<string, unknown> }, outageNode: string, downAtMs: number, upAtMs: number): SimNodeSpec[] {
  return Object.entries(document.nodes).map(([id, raw]) => {
    const node = NodeSchema.parse({ id, ...(raw as object) });
    const http = node.probes.find((p) => p.type === 'http');
    const tcp = node.probes.find((p) => p.type === 'tcp');
    const ssh = node.probes.find((p) => p.type === 'ssh');
    return {
      ip: node.tailscale_ip,
      http_port: http?.type === 'http' ? http.port : undefined,
      tcp_port: tcp?.type === 'tcp' ? tcp.port : undefined,
      ssh_port: ssh?.type === 'ssh' ? ssh.port : undefined,
      behaviour: id === outageNode ? 'outage' : id.endsWith('3') ? 'slow' : 'healthy',
      slow_ms: 120,
      down_at_ms: downAtMs,
      up_at_ms: upAtMs,
    };
  });
}


/** Imports the demo fleet into the registry and serves it on loopback, with node-07 failing after 20 s for 60 s. */
export async function startDemoFleet(registry: NodeRegistry, nodesFile: string): Promise<{ simulator: FleetSimulator; report: ImportReport }> {
  const document = readJsonFile(nodesFile, 'demo') as { nodes: Record<string, unknown> };
  const simulator = await new FleetSimulator(demoSpecs(document, 'node-07', 20_000, 80_000)).start();
  const report = registry.importSeed(document, { skip_invalid: true });
  return { simulator, report };
}
