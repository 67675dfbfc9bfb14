import type { HealthState, Node, NodeFilter } from './schemas/node';

/**
 * Applies the list filters shared by IPC, REST, MCP and the window. `stateOf` supplies health when
 * filtering by status. A search of several words matches nodes that contain every word; tags match
 * whatever their case; an address is matched whole or by its leading parts (matchesAddress).
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

/** Digits and dots (IPv4), or hex and colons (IPv6): a word that names an address, or the start of one. */
const ADDRESS_LIKE = /^(?:[0-9.]+|[0-9a-f:]*:[0-9a-f:]*)$/;

/**
 * An address-like word matches a whole address, or its start up to a dot or colon: 127.0.0.1 is not
 * 127.0.0.10, while 127.0.0. (or 127.0) finds the block. Other words match anywhere in it (MagicDNS names).
 */
function matchesAddress(address: string, q: string): boolean {
  const a = address.toLowerCase();
  if (!ADDRESS_LIKE.test(q)) return a.includes(q);
  if (!a.startsWith(q)) return false;
  return a.length === q.length || /[.:]$/.test(q) || a[q.length] === '.' || a[q.length] === ':';
}

function matchesText(node: Node, q: string): boolean {
  return (
    node.id.toLowerCase().includes(q) ||
    node.hostname.toLowerCase().includes(q) ||
    matchesAddress(node.tailscale_ip, q) ||
    node.description.toLowerCase().includes(q) ||
    node.tags.some((tag) => tag.toLowerCase().includes(q))
  );
}
