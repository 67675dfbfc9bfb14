import type { ServiceSpecInput, ServiceView } from '../../src/shared/schemas/workloads';

// Random service specs for checking a plan against what Swarm then runs (the lab test and the bench):
// replicas 1-6, CPU reservations up to 95 % of a node, some memory, roles, tags, a per-node limit, and
// now and then a drained node. Seeded (mulberry32), so a miss can be replayed.

export interface RandomSpec {
  spec: ServiceSpecInput;
  /** A Swarm node to drain while it is planned and deployed, or null. */
  drain: string | null;
}

export function randomSpecs(seed: number, count: number, nodeCpus: number, drainable: string[], image = 'mco/busybox:lab'): RandomSpec[] {
  let a = seed;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  return Array.from({ length: count }, (_, i) => {
    const spec: ServiceSpecInput = {
      name: `r${i}`, image, command: ['sleep', '100000'],
      replicas: 1 + Math.floor(next() * 6),
      reservations: { ...(next() < 0.7 ? { cpus: Math.round(nodeCpus * (0.15 + next() * 0.8) * 100) / 100 } : {}), ...(next() < 0.3 ? { memory_mb: 1024 } : {}) },
      placement: { ...(next() < 0.3 ? { roles: [pick(['master', 'worker'] as const)] } : {}), ...(next() < 0.3 ? { tags: [pick(['zone-a', 'fast'])] } : {}) },
      ...(next() < 0.3 ? { max_replicas_per_node: 1 + Math.floor(next() * 2) } : {}),
    };
    return { spec, drain: next() < 0.3 ? pick(drainable) : null };
  });
}

/** The tags the specs above place by, for three nodes: zone-a on the first two, fast on the last two. */
export const RANDOM_SPEC_TAGS = [['zone-a'], ['zone-a', 'fast'], ['fast']];

/** Swarm has settled when every task it wants is running, or pending with its reason (it looked, and found no node). */
export const swarmSettled = (v: ServiceView): boolean => v.tasks.filter((t) => t.desired_state === 'running').every((t) => t.state === 'running' || (t.state === 'pending' && t.error !== null));
