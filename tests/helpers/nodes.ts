import type { NodeInput } from '../../src/shared/schemas/node';

/**
 * A loopback address of its own for each node id (no two nodes may share one), in 127.61.128.0/17:
 * nothing listens there, so a probe is refused at once.
 */
export function loopbackFor(id: string): string {
  let hash = 2166136261; // FNV-1a
  for (const ch of id) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  const n = hash % (128 * 256);
  return `127.61.${128 + (n >> 8)}.${n & 255}`;
}

/** A valid node input on loopback; override any field. */
export function nodeInput(id: string, overrides: Partial<NodeInput> = {}): NodeInput {
  return { id, hostname: `${id}-host`, tailscale_ip: loopbackFor(id), role: 'worker', cpu_cores: 4, memory_gb: 8, tags: [], ...overrides };
}
