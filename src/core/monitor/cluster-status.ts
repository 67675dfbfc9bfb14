import type { ClusterState, ClusterStatus } from '../../shared/schemas/health';
import { NODE_ROLES, type HealthState, type Node } from '../../shared/schemas/node';

export interface MonitorInfo {
  offline: boolean;
  paused: boolean;
  paused_until: string | null;
  in_grace: boolean;
}

/**
 * The one cluster summary the tray, window, REST and MCP all read.
 * unknown: no nodes or nothing checked yet; critical: a master unhealthy, or at least half of the
 * monitored nodes unhealthy; degraded: any node degraded or unhealthy.
 */
export function computeClusterStatus(
  nodes: readonly Node[],
  stateOf: (id: string) => HealthState,
  monitor: MonitorInfo,
  checkedAt: string | null,
): Omit<ClusterStatus, 'nodes'> {
  const counts = { healthy: 0, degraded: 0, unhealthy: 0, unknown: 0, maintenance: 0 };
  const byRole = Object.fromEntries(NODE_ROLES.map((r) => [r, { total: 0, healthy: 0, unhealthy: 0 }])) as ClusterStatus['by_role'];
  const down: string[] = [];
  let masterDown = false;
  for (const node of nodes) {
    const state = stateOf(node.id);
    counts[state]++;
    const role = byRole[node.role];
    role.total++;
    if (state === 'healthy') role.healthy++;
    if (state === 'unhealthy') {
      role.unhealthy++;
      down.push(node.id);
      if (node.role === 'master') masterDown = true;
    }
  }
  const monitored = nodes.length - counts.maintenance;
  let state: ClusterState;
  if (nodes.length === 0 || monitored === 0 || counts.unknown === monitored) state = 'unknown';
  else if (masterDown || counts.unhealthy * 2 >= monitored) state = 'critical';
  else if (counts.degraded + counts.unhealthy > 0) state = 'degraded';
  else state = 'healthy';
  return {
    state,
    total_nodes: nodes.length,
    healthy_nodes: counts.healthy,
    degraded_nodes: counts.degraded,
    unhealthy_nodes: counts.unhealthy,
    unknown_nodes: counts.unknown,
    maintenance_nodes: counts.maintenance,
    availability: monitored > 0 ? Math.round((counts.healthy / monitored) * 10000) / 100 : 0,
    by_role: byRole,
    checked_at: checkedAt,
    monitor,
    down_node_ids: down,
  };
}
