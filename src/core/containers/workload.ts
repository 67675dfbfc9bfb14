import type { NodeRegistry } from '../registry/node-registry';
import type { ContainerService } from './container-service';
import type { SwarmService } from './swarm-service';

/** What already runs on a node: containers, and the CPU and memory Swarm has reserved for its tasks. */
export interface NodeWorkload {
  running_containers: number;
  reserved_cpu_cores: number;
  reserved_memory_gb: number;
  source: 'swarm' | 'docker';
}

const WAIT_MS = 3000;
const withinWait = <T>(p: Promise<T>): Promise<T | null> =>
  Promise.race([p.catch(() => null), new Promise<null>((resolve) => setTimeout(() => resolve(null), WAIT_MS).unref())]);

/**
 * The workload of every Docker-enabled node, for placement: Swarm's tasks and their reservations
 * when a manager answers, else each node's running containers. Best effort: a node that does not
 * answer within a few seconds is left out, and placement falls back to metrics alone.
 */
export async function collectWorkload(registry: NodeRegistry, containers: ContainerService, swarm: SwarmService): Promise<Map<string, NodeWorkload>> {
  const workload = new Map<string, NodeWorkload>();
  const dockerNodes = registry.all().filter((n) => n.docker?.enabled && !n.maintenance);
  if (dockerNodes.length === 0) return workload;
  const view = await withinWait(swarm.snapshot().then(async (snap) => ({ snap, tasks: await snap.engine.tasks() })));
  if (view) {
    for (const task of view.tasks) {
      const id = task.NodeID ? view.snap.match.get(task.NodeID) : undefined;
      if (!id || task.Status.State !== 'running') continue;
      const w = workload.get(id) ?? { running_containers: 0, reserved_cpu_cores: 0, reserved_memory_gb: 0, source: 'swarm' as const };
      const reserved = task.Spec?.Resources?.Reservations;
      w.running_containers++;
      w.reserved_cpu_cores += (reserved?.NanoCPUs ?? 0) / 1e9;
      w.reserved_memory_gb += (reserved?.MemoryBytes ?? 0) / 1024 ** 3;
      workload.set(id, w);
    }
    for (const id of view.snap.match.values()) if (!workload.has(id)) workload.set(id, { running_containers: 0, reserved_cpu_cores: 0, reserved_memory_gb: 0, source: 'swarm' });
  }
  // Nodes outside the swarm (or no manager): count their running containers.
  await Promise.all(
    dockerNodes
      .filter((n) => !workload.has(n.id))
      .map(async (n) => {
        const list = await withinWait(containers.list(n.id));
        if (list) workload.set(n.id, { running_containers: list.containers.filter((c) => c.state === 'running').length, reserved_cpu_cores: 0, reserved_memory_gb: 0, source: 'docker' });
      }),
  );
  return workload;
}
