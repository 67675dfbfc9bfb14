import { parseOrThrow } from '../../shared/errors';
import type { NodeHealth } from '../../shared/schemas/health';
import type { Node } from '../../shared/schemas/node';
import { PlacementRequestSchema, type NodeMetrics, type PlacementResponse } from '../../shared/schemas/ssh';
import type { NodeWorkload } from '../workloads/fleet-survey';

/**
 * The seed's "resource allocation": ranks healthy nodes that meet the requirements by free capacity.
 * Live metrics are used where known (free CPU = cores − 1-minute load, free memory = MemAvailable);
 * otherwise the node's declared size. Where Docker answers, what Swarm has reserved for its tasks is
 * not free either, and among equal scores the node running fewer containers comes first.
 * The score is the smaller headroom ratio of CPU and memory.
 */
export function suggestNodes(
  input: unknown,
  nodes: Node[],
  healthOf: (id: string) => NodeHealth,
  metricsOf: (id: string) => NodeMetrics | null,
  workloadOf: (id: string) => NodeWorkload | undefined = () => undefined,
): PlacementResponse {
  const request = parseOrThrow(PlacementRequestSchema, input ?? {});
  const candidates: PlacementResponse['candidates'] = [];
  const rejected: PlacementResponse['rejected'] = [];
  for (const node of nodes) {
    const reject = (reason: string) => rejected.push({ node_id: node.id, reason });
    if (node.maintenance) {
      reject('in maintenance');
      continue;
    }
    const state = healthOf(node.id).status;
    if (state !== 'healthy') {
      reject(`not healthy (${state})`);
      continue;
    }
    if (request.role && node.role !== request.role) {
      reject(`role is ${node.role}, not ${request.role}`);
      continue;
    }
    const missing = request.tags.filter((t) => !node.tags.includes(t));
    if (missing.length > 0) {
      reject(`lacks tag(s) ${missing.join(', ')}`);
      continue;
    }
    const metrics = metricsOf(node.id);
    const workload = workloadOf(node.id);
    const cores = metrics?.cpu_count ?? node.cpu_cores ?? 0; // unknown size: no room until metrics tell
    const memory = metrics ? metrics.mem_total_mb / 1024 : (node.memory_gb ?? 0);
    const freeCpu = Math.max(0, Math.min(metrics ? cores - metrics.load_1 : cores, cores - (workload?.reserved_cpu_cores ?? 0)));
    const freeMem = Math.max(0, Math.min(metrics ? metrics.mem_available_mb / 1024 : memory, memory - (workload?.reserved_memory_gb ?? 0)));
    if (freeCpu < request.cpu_cores || freeMem < request.memory_gb) {
      reject(`not enough free capacity (${freeCpu.toFixed(1)} cores, ${freeMem.toFixed(1)} GB free)`);
      continue;
    }
    const score = Math.min(freeCpu / request.cpu_cores, freeMem / request.memory_gb);
    candidates.push({
      node_id: node.id,
      score: Math.round(score * 100) / 100,
      free_cpu_cores: Math.round(freeCpu * 100) / 100,
      free_memory_gb: Math.round(freeMem * 100) / 100,
      source: metrics ? 'live_metrics' : 'declared',
      running_containers: workload?.running_containers ?? null,
    });
  }
  candidates.sort((a, b) => b.score - a.score || (a.running_containers ?? 0) - (b.running_containers ?? 0) || a.node_id.localeCompare(b.node_id));
  return { candidates: candidates.slice(0, request.limit), rejected };
}
