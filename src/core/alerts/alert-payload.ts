import type { AlertPayload } from '../../shared/schemas/alerts';
import type { ClusterStatus } from '../../shared/schemas/health';
import type { Node } from '../../shared/schemas/node';
import type { Alert } from './alert-policy';

/** The generic webhook body: the alert, its nodes as the registry knows them, and the cluster now. */
export function buildAlertPayload(alert: Alert, nodeOf: (id: string) => Node | undefined, status: ClusterStatus, at = new Date()): AlertPayload {
  const nodes = alert.nodes.map(({ id, reason }) => {
    const node = nodeOf(id);
    return { id, hostname: node?.hostname ?? id, tailscale_ip: node?.tailscale_ip ?? '', role: node?.role ?? 'worker', reason };
  });
  const message = nodes.length > 0 ? nodes.map((n) => nodeLine(n.id, n, n.reason)).join('\n') : alert.body;
  return {
    event: alert.event,
    title: alert.title,
    message,
    nodes,
    service: alert.service ?? null,
    cluster: { state: status.state, healthy_nodes: status.healthy_nodes, total_nodes: status.total_nodes },
    at: at.toISOString(),
  };
}

/** One node in an alert's message: id, hostname, address and role (when known), and why. */
export const nodeLine = (id: string, node: Pick<Node, 'hostname' | 'tailscale_ip' | 'role'> | undefined, reason: string): string =>
  node ? `${id} (${node.hostname}, ${node.tailscale_ip}, ${node.role}): ${reason}` : `${id}: ${reason}`;

/** A one-line summary of the cluster, as the chat and mail shapes end with it. */
export const clusterLine = (p: AlertPayload): string => `Cluster ${p.cluster.state}: ${p.cluster.healthy_nodes}/${p.cluster.total_nodes} nodes healthy`;

/** Whether the alert is good news (the chat colours and ntfy priority follow it). */
export const isGoodNews = (event: AlertPayload['event']): boolean => event === 'node_recovered' || event === 'monitor_online' || event === 'service_placed' || event === 'test';
