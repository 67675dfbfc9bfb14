import type { NodeMetrics } from '../../shared/schemas/ssh';
import type { NodeAllocation } from '../../shared/schemas/workloads';
import type { NodeRegistry } from '../registry/node-registry';
import type { ContainerService } from '../containers/container-service';
import type { EngineContainer, EngineService, EngineTask } from '../containers/docker-engine';
import type { SwarmService, SwarmSnapshot } from '../containers/swarm-service';
import { HOLDING_STATES } from './placement-plan';

// What runs where, read once for placement, allocation and the services list: Swarm's tasks through a
// manager, and the containers of Docker nodes outside the swarm (ours carry their reservations as labels).

/** Labels of a standalone container this app started: its service name and what it reserves. */
export const STANDALONE_SERVICE_LABEL = 'mco.service';
export const RESERVED_CPUS_LABEL = 'mco.reserved.cpus';
export const RESERVED_MEMORY_LABEL = 'mco.reserved.memory_mb';

/** What already runs on a node: containers, and the CPU and memory reserved for them. */
export interface NodeWorkload {
  running_containers: number;
  reserved_cpu_cores: number;
  reserved_memory_gb: number;
  source: 'swarm' | 'docker';
}

export interface FleetSurvey {
  /** Null when no node is a reachable Swarm manager. */
  snap: SwarmSnapshot | null;
  services: EngineService[];
  tasks: EngineTask[];
  /** Containers of each Docker node outside the swarm that answered in time. */
  outside: Map<string, EngineContainer[]>;
}

const WAIT_MS = 3000;
const withinWait = <T>(p: Promise<T>): Promise<T | null> =>
  Promise.race([p.catch(() => null), new Promise<null>((resolve) => setTimeout(() => resolve(null), WAIT_MS).unref())]);

/**
 * Best effort: a manager or node that does not answer within a few seconds is left out, and placement
 * falls back to metrics alone. `withServices` also reads the services (for the services list).
 */
export async function surveyFleet(registry: NodeRegistry, containers: ContainerService, swarm: SwarmService, withServices = false): Promise<FleetSurvey> {
  const dockerNodes = registry.all().filter((n) => n.docker?.enabled && !n.maintenance);
  const survey: FleetSurvey = { snap: null, services: [], tasks: [], outside: new Map() };
  if (registry.all().some((n) => n.docker?.enabled)) {
    const read = await withinWait(
      swarm.snapshot().then(async (snap) => {
        const manager = registry.require(snap.managerNodeId);
        const [tasks, services] = await containers.call(manager, (e) => Promise.all([e.tasks(), withServices ? e.services(true) : Promise.resolve([])]));
        return { snap, tasks, services };
      }),
    );
    if (read) Object.assign(survey, read);
  }
  const inSwarm = new Set(survey.snap?.match.values() ?? []);
  await Promise.all(
    dockerNodes
      .filter((n) => !inSwarm.has(n.id))
      .map(async (n) => {
        const list = await withinWait(containers.call(n, (e) => e.listContainers()));
        if (list) survey.outside.set(n.id, list);
      }),
  );
  return survey;
}

const num = (value: string | undefined): number => (value && Number.isFinite(Number(value)) ? Number(value) : 0);

/** Each node's running containers and reservations: Swarm's running tasks, or our standalone containers' labels. */
export function workloadOf(survey: FleetSurvey): Map<string, NodeWorkload> {
  const workload = new Map<string, NodeWorkload>();
  const add = (id: string, source: NodeWorkload['source'], cpus: number, memoryMb: number, running = true) => {
    const w = workload.get(id) ?? { running_containers: 0, reserved_cpu_cores: 0, reserved_memory_gb: 0, source };
    if (running) w.running_containers++;
    w.reserved_cpu_cores += cpus;
    w.reserved_memory_gb += memoryMb / 1024;
    workload.set(id, w);
  };
  if (survey.snap) {
    for (const id of survey.snap.match.values()) workload.set(id, { running_containers: 0, reserved_cpu_cores: 0, reserved_memory_gb: 0, source: 'swarm' });
    for (const task of survey.tasks) {
      const id = task.NodeID ? survey.snap.match.get(task.NodeID) : undefined;
      // Swarm holds a task's reservation from its assignment on, not only once it runs: so does the plan.
      if (!id || !HOLDING_STATES.has(task.Status.State)) continue;
      const reserved = task.Spec?.Resources?.Reservations;
      add(id, 'swarm', (reserved?.NanoCPUs ?? 0) / 1e9, (reserved?.MemoryBytes ?? 0) / 1024 ** 2, task.Status.State === 'running');
    }
  }
  for (const [id, list] of survey.outside) {
    workload.set(id, { running_containers: 0, reserved_cpu_cores: 0, reserved_memory_gb: 0, source: 'docker' });
    for (const c of list.filter((c) => c.State === 'running')) add(id, 'docker', num(c.Labels?.[RESERVED_CPUS_LABEL]), num(c.Labels?.[RESERVED_MEMORY_LABEL]));
  }
  return workload;
}

/**
 * Each node's reserved CPU and memory against its capacity: Swarm's node description for a Swarm node,
 * else the node's live metrics, else its declared size.
 */
export function allocationOf(survey: FleetSurvey, registry: NodeRegistry, metricsOf: (id: string) => NodeMetrics | null): NodeAllocation[] {
  const round = (n: number) => Math.round(n * 100) / 100;
  return [...workloadOf(survey)]
    .map(([id, w]) => {
      const node = registry.get(id);
      const swarmId = survey.snap ? [...survey.snap.match].find(([, ours]) => ours === id)?.[0] : undefined;
      const described = survey.snap?.nodes.find((n) => n.ID === swarmId)?.Description.Resources;
      const metrics = metricsOf(id);
      const [cpus, memoryMb, from] = described?.NanoCPUs
        ? [described.NanoCPUs / 1e9, (described.MemoryBytes ?? 0) / 1024 ** 2, 'swarm' as const]
        : metrics
          ? [metrics.cpu_count, metrics.mem_total_mb, 'metrics' as const]
          : [node?.cpu_cores ?? 0, (node?.memory_gb ?? 0) * 1024, 'declared' as const];
      return {
        node_id: id,
        source: w.source,
        capacity_from: from,
        capacity: { cpus: round(cpus), memory_mb: Math.round(memoryMb) },
        reserved: { cpus: round(w.reserved_cpu_cores), memory_mb: Math.round(w.reserved_memory_gb * 1024) },
        free: { cpus: round(Math.max(0, cpus - w.reserved_cpu_cores)), memory_mb: Math.max(0, Math.round(memoryMb - w.reserved_memory_gb * 1024)) },
        running: w.running_containers,
      };
    })
    .sort((a, b) => a.node_id.localeCompare(b.node_id));
}
