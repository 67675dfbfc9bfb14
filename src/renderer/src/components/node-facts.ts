import type { HealthEvent } from '../../../shared/schemas/health';
import type { Node } from '../../../shared/schemas/node';

/**
 * CPU cores and memory as facts, or null when unknown. Before this release a Tailscale import gave
 * new nodes 1 core and 1 GB as stand-ins; on a node with Tailscale's facts that pair is such a
 * stand-in, not a measurement, and is not shown as one.
 */
export function nodeSize(node: Node): { cpu_cores: number | null; memory_gb: number | null } {
  const placeholder = Boolean(node.os || node.dns_name) && node.cpu_cores === 1 && node.memory_gb === 1 && node.description === 'Imported from Tailscale';
  return {
    cpu_cores: placeholder ? null : (node.cpu_cores ?? null),
    memory_gb: placeholder ? null : (node.memory_gb ?? null),
  };
}

/** When the node's current maintenance began: its latest transition into maintenance, if logged. */
export function maintenanceSince(events: HealthEvent[], nodeId: string): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.node === nodeId && e.kind === 'transition' && e.to === 'maintenance') return e.at;
  }
  return null;
}

/** Until when the node's alerts are muted, if they still are. */
export function mutedUntil(node: Pick<Node, 'muted_until'>, now = Date.now()): string | null {
  return node.muted_until && Date.parse(node.muted_until) > now ? node.muted_until : null;
}
