import type { HealthState, Node, NodeFilter } from './schemas/node';

/** Applies the list filters shared by IPC, REST and MCP. `stateOf` supplies health when filtering by status. */
export function filterNodes<N extends Node>(nodes: Iterable<N>, filter: NodeFilter, stateOf?: (id: string) => HealthState): N[] {
  const q = filter.q?.trim().toLowerCase();
  const out: N[] = [];
  for (const node of nodes) {
    if (filter.role && node.role !== filter.role) continue;
    if (filter.tag && !node.tags.includes(filter.tag)) continue;
    if (filter.status && stateOf && stateOf(node.id) !== filter.status) continue;
    if (q && !matchesText(node, q)) continue;
    out.push(node);
  }
  return out;
}

function matchesText(node: Node, q: string): boolean {
  return (
    node.id.includes(q) ||
    node.hostname.toLowerCase().includes(q) ||
    node.tailscale_ip.includes(q) ||
    node.description.toLowerCase().includes(q) ||
    node.tags.some((tag) => tag.toLowerCase().includes(q))
  );
}
