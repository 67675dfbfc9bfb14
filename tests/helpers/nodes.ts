import type { NodeInput } from '../../src/shared/schemas/node';

/** A valid node input on loopback; override any field. */
export function nodeInput(id: string, overrides: Partial<NodeInput> = {}): NodeInput {
  return { id, hostname: `${id}-host`, tailscale_ip: '127.0.0.1', role: 'worker', cpu_cores: 4, memory_gb: 8, tags: [], ...overrides };
}
