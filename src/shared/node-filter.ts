import type { HealthState, Node, NodeFilter } from './schemas/node';

/**
 * Applies the list filters shared by IPC, REST, MCP and the window. `stateOf` supplies health when
 * filtering by status. A search of several words matches nodes that contain every word; tags match
 * whatever their case.
 */
export function filterNodes<N extends Node>(nodes: Iterable<N>, filter: NodeFilter, stateOf?: (id: string) => HealthState): N[] {
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const tag = filter.tag?.toLowerCase();
  const out: N[] = [];
  for (const node of nodes) {
    if (filter.role && node.role !== filter.role) continue;
    if (tag && !node.tags.some((t) => t.toLowerCase() === tag)) continue;
    if (filter.status && stateOf && stateOf(node.id) !== filter.status) continue;
    if (words.length > 0 && !words.every((word) => matchesText(node, word))) continue;
    out.push(node);
  }
  return out;
}

function matchesText(node: Node, q: string): boolean {
  return (
    node.id.toLowerCase().includes(q) ||
    node.hostname.toLowerCase().includes(q) ||
    node.tailscale_ip.includes(q) ||
    node.description.toLowerCase().includes(q) ||
    node.tags.some((tag) => tag.toLowerCase().includes(q))
  );
}
