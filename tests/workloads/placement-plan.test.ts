import { describe, expect, it } from 'vitest';
import { planPlacement, type PlanNodeFacts, type PlanRequest } from '../../src/core/workloads/placement-plan';
import type { EngineSwarmNode } from '../../src/core/containers/docker-engine';

// The plan's rules without a swarm (the lab test checks them against Swarm itself): global services,
// memory, nodes outside our registry, and the smaller reservation with which all would fit.
const GB = 1024 ** 3;
function swarmNode(hostname: string, cpus: number, memoryGb: number, extra: Partial<EngineSwarmNode['Spec']> = {}, state = 'ready'): EngineSwarmNode {
  return { ID: `id-${hostname}`, Version: { Index: 1 }, Spec: { Role: 'worker', Availability: 'active', ...extra }, Description: { Hostname: hostname, Resources: { NanoCPUs: cpus * 1e9, MemoryBytes: memoryGb * GB } }, Status: { State: state } };
}
function facts(id: string, node: EngineSwarmNode | null, labels: Record<string, string> = {}, reservedCpus = 0): PlanNodeFacts {
  return { id, node_id: id, swarm: node, labels, reserved: { nanoCpus: reservedCpus * 1e9, memoryBytes: 0 }, tasks: reservedCpus > 0 ? 1 : 0, serviceTasks: 0, warnings: [] };
}
const request = (over: Partial<PlanRequest>): PlanRequest => ({ name: 'web', mode: 'replicated', replicas: 1, nanoCpus: 0, memoryBytes: 0, placement: {}, constraints: [], maxPerNode: 0, ...over });

describe('placement plan', () => {
  it('spreads to the emptiest nodes first and says what memory would let all fit', () => {
    const plan = planPlacement(request({ replicas: 3, memoryBytes: 3 * GB }), [facts('a', swarmNode('a', 4, 8), {}, 2), facts('b', swarmNode('b', 4, 4)), facts('c', swarmNode('c', 4, 2))]);
    expect(plan.fits).toBe(3);
    expect(plan.nodes.map((n) => [n.id, n.fits, n.room])).toEqual([['a', 2, 2], ['b', 1, 1], ['c', 0, 0]]);
    expect(plan.summary).toBe('3 of 3 fit: a takes 2, b takes 1');
    // c can take none, and says why, although all fit.
    expect(plan.nodes[2].reasons).toEqual([expect.objectContaining({ code: 'insufficient_memory', params: { free: 2048, need: 3072 } })]);
    const more = planPlacement(request({ replicas: 5, memoryBytes: 3 * GB }), [facts('a', swarmNode('a', 4, 8)), facts('b', swarmNode('b', 4, 4)), facts('c', swarmNode('c', 4, 2))]);
    expect(more).toMatchObject({ fits: 3, suggestion: { memory_mb: 2048, cpus: null, fits: 5, text: 'with 2048 MB of memory each, 5 fit' } });
  });

  it('wants a global task on every eligible node and names the rest', () => {
    const plan = planPlacement(request({ mode: 'global', nanoCpus: 2e9 }), [
      facts('a', swarmNode('a', 4, 8)),
      facts('b', swarmNode('b', 1, 8)),
      facts('c', swarmNode('c', 4, 8, { Availability: 'pause' })),
      facts('d', swarmNode('d', 4, 8, {}, 'down')),
      facts('e', null),
    ]);
    expect(plan).toMatchObject({ wanted: 2, fits: 1 });
    expect(plan.summary).toBe('1 of 2 eligible nodes can run it; none has 2 CPUs left for it (paused: c; Swarm sees it down: d; not in the swarm: e)');
  });

  it('counts a swarm node outside our registry (Swarm places there too), and reads foreign constraints', () => {
    const stranger = facts('lab-x', swarmNode('lab-x', 2, 2, { Role: 'manager' }));
    stranger.node_id = null;
    const plan = planPlacement(request({ replicas: 2, constraints: ['node.role==manager'] }), [facts('a', swarmNode('a', 2, 2)), stranger]);
    expect(plan.nodes.map((n) => [n.id, n.fits])).toEqual([['a', 0], ['lab-x', 2]]);
    expect(plan.nodes[0].reasons).toEqual([expect.objectContaining({ code: 'placement', message: 'it does not meet node.role==manager' })]);
  });
});
