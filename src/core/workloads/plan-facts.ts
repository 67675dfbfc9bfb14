import type { HealthState, Node } from '../../shared/schemas/node';
import type { JobSpec, PlanNote, ServiceSpec } from '../../shared/schemas/workloads';
import type { EngineService, EngineTask } from '../containers/docker-engine';
import type { SwarmSnapshot } from '../containers/swarm-service';
import { labelsFor } from './node-labels';
import { HOLDING_STATES, type PlanNodeFacts, type PlanRequest } from './placement-plan';
import { placementConstraints, placementFromConstraints, toEngineResources } from './swarm-spec';

// What a plan reads: Swarm's nodes and the tasks holding their resources (a manager's answers), our
// registry's labels as a deploy will write them, and what our monitor knows that Swarm may not.

export interface FactSources {
  snap: SwarmSnapshot;
  tasks: EngineTask[];
  /** Our nodes with Docker enabled. */
  nodes: Node[];
  healthOf: (id: string) => HealthState | undefined;
  /** The planned service, when it exists (its own tasks count against max_replicas_per_node). */
  serviceId?: string;
}

const note = (code: string, message: string, params: Record<string, string | number>): PlanNote => ({ code, message, params });

export function nodeFacts({ snap, tasks, nodes, healthOf, serviceId }: FactSources): PlanNodeFacts[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const warningsOf = (node: Node | undefined): PlanNote[] => [
    ...(node && healthOf(node.id) === 'unhealthy' ? [note('down_by_probes', 'down by our probes: Swarm may still place here', {})] : []),
    ...(node?.maintenance ? [note('maintenance', 'in maintenance: Swarm may still place here', {})] : []),
  ];
  const inSwarm = snap.nodes.map((swarm): PlanNodeFacts => {
    const ourId = snap.match.get(swarm.ID) ?? null;
    const node = ourId ? byId.get(ourId) : undefined;
    const holding = tasks.filter((t) => t.NodeID === swarm.ID && HOLDING_STATES.has(t.Status.State));
    const reserved = holding.reduce(
      (sum, t) => ({ nanoCpus: sum.nanoCpus + (t.Spec?.Resources?.Reservations?.NanoCPUs ?? 0), memoryBytes: sum.memoryBytes + (t.Spec?.Resources?.Reservations?.MemoryBytes ?? 0) }),
      { nanoCpus: 0, memoryBytes: 0 },
    );
    return {
      id: ourId ?? swarm.Description.Hostname,
      node_id: ourId,
      swarm,
      labels: node ? labelsFor(node, swarm.Spec.Labels ?? {}) : (swarm.Spec.Labels ?? {}),
      reserved,
      tasks: holding.length,
      serviceTasks: serviceId ? holding.filter((t) => t.ServiceID === serviceId).length : 0,
      warnings: warningsOf(node),
    };
  });
  const matched = new Set(snap.match.values());
  const outside = nodes
    .filter((n) => !matched.has(n.id))
    .map((n): PlanNodeFacts => ({ id: n.id, node_id: n.id, swarm: null, labels: {}, reserved: { nanoCpus: 0, memoryBytes: 0 }, tasks: 0, serviceTasks: 0, warnings: warningsOf(n) }));
  return [...inSwarm, ...outside].sort((a, b) => a.id.localeCompare(b.id));
}

/** A service or job spec as the plan takes it. */
export function planRequest(spec: ServiceSpec | (JobSpec & { mode: 'job' })): PlanRequest {
  const reserved = toEngineResources(spec.reservations);
  return {
    name: spec.name,
    mode: spec.mode === 'global' ? 'global' : spec.mode === 'job' ? 'job' : 'replicated',
    replicas: spec.mode === 'job' ? Math.min(spec.concurrency, spec.completions) : spec.mode === 'global' ? 0 : (spec.replicas ?? 1),
    nanoCpus: reserved.NanoCPUs ?? 0,
    memoryBytes: reserved.MemoryBytes ?? 0,
    placement: spec.placement ?? {},
    constraints: placementConstraints(spec.placement),
    maxPerNode: 'max_replicas_per_node' in spec ? (spec.max_replicas_per_node ?? 0) : 0,
  };
}

/** A running service's spec as the plan takes it, for `wanted` more tasks (its pending ones). */
export function pendingRequest(service: EngineService, wanted: number): PlanRequest {
  const template = service.Spec.TaskTemplate;
  const constraints = template.Placement?.Constraints ?? [];
  return {
    name: service.Spec.Name,
    mode: service.Spec.Mode.Global ? 'global' : service.Spec.Mode.ReplicatedJob ? 'job' : 'replicated',
    replicas: wanted,
    nanoCpus: template.Resources?.Reservations?.NanoCPUs ?? 0,
    memoryBytes: template.Resources?.Reservations?.MemoryBytes ?? 0,
    placement: placementFromConstraints(constraints),
    constraints,
    maxPerNode: template.Placement?.MaxReplicas ?? 0,
  };
}

/** What a deploy of the spec would be refused for: its name, or a published port another service holds. */
export function planConflicts(spec: { name: string; ports?: ServiceSpec['ports'] }, services: EngineService[]): PlanNote[] {
  const conflicts: PlanNote[] = [];
  if (services.some((s) => s.Spec.Name === spec.name)) conflicts.push(note('name_taken', `a service named ${spec.name} already exists`, { name: spec.name }));
  for (const [i, port] of (spec.ports ?? []).entries()) {
    const holder = services.find((s) => s.Spec.Name !== spec.name && (s.Spec.EndpointSpec?.Ports ?? []).some((p) => p.PublishedPort === port.published && (p.Protocol ?? 'tcp') === port.protocol));
    if (holder) conflicts.push(note('port_taken', `port ${port.published}/${port.protocol} is already published by service ${holder.Spec.Name}`, { port: port.published, protocol: port.protocol, service: holder.Spec.Name, index: i }));
  }
  return conflicts;
}
