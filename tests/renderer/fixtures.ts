import { computeClusterStatus } from '../../src/core/monitor/cluster-status';
import type { ClusterStatus, NodeWithHealth } from '../../src/shared/schemas/health';
import { NodeSchema, type HealthState, type NodeInput } from '../../src/shared/schemas/node';
import { HealthIndex } from '../../src/renderer/src/store/health-index';

export function nodeFixture(id: string, status: HealthState, overrides: Partial<NodeInput> = {}): NodeWithHealth {
  const node = NodeSchema.parse({ id, hostname: `${id}-host`, tailscale_ip: '127.0.0.1', role: 'worker', cpu_cores: 2, memory_gb: 4, ...overrides });
  return { ...node, health: { status, latency_ms: status === 'healthy' ? 1.5 : null, checked_at: null, error: null } };
}

export function computeStatusFixture(nodes: NodeWithHealth[]): ClusterStatus {
  const byId = new Map(nodes.map((n) => [n.id, n.health]));
  return { ...computeClusterStatus(nodes, (id) => byId.get(id)!.status, { offline: false, paused: false, paused_until: null, in_grace: false }, null), nodes };
}

/** The cluster store's state for these nodes, connected and loaded (spread into useClusterStore.setState). */
export function loadedStoreFixture(nodes: NodeWithHealth[]) {
  const { nodes: _n, ...status } = computeStatusFixture(nodes);
  return {
    connection: 'open' as const,
    loaded: true,
    status,
    nodes: new Map(nodes.map(({ health: _h, ...n }) => [n.id, n])),
    health: HealthIndex.of(nodes.map((n) => [n.id, n.health])),
    order: nodes.map((n) => n.id),
  };
}
