import { OrchestratorError } from '../../shared/errors';
import type { PlacementResponse } from '../../shared/schemas/ssh';
import type { ServiceSpec, ServiceView } from '../../shared/schemas/workloads';
import type { NodeRegistry } from '../registry/node-registry';
import type { ContainerService } from '../containers/container-service';
import type { EngineContainer } from '../containers/docker-engine';
import { DEPLOYED_BY_LABEL } from './swarm-spec';
import { RESERVED_CPUS_LABEL, RESERVED_MEMORY_LABEL, STANDALONE_SERVICE_LABEL, type FleetSurvey } from './fleet-survey';

// A service on a Docker node outside any swarm: one container, the Engine API's `docker run`, on the
// node that `suggest` picks, its reservations as its limits and as labels (so the next placement
// counts them).

const RESTART: Record<string, string> = { any: 'unless-stopped', 'on-failure': 'on-failure', none: 'no' };

/** Our standalone containers in a survey: service name → node and container. */
export function standaloneContainers(survey: FleetSurvey): Array<{ nodeId: string; container: EngineContainer }> {
  return [...survey.outside].flatMap(([nodeId, list]) => list.filter((c) => c.Labels?.[STANDALONE_SERVICE_LABEL] && c.Labels?.[DEPLOYED_BY_LABEL]).map((container) => ({ nodeId, container })));
}

export function standaloneView(nodeId: string, c: EngineContainer): ServiceView {
  const labels = c.Labels ?? {};
  const cpus = Number(labels[RESERVED_CPUS_LABEL]) || undefined;
  const memory = Number(labels[RESERVED_MEMORY_LABEL]) || undefined;
  const reserved = { ...(cpus ? { cpus } : {}), ...(memory ? { memory_mb: memory } : {}) };
  const created = new Date(c.Created * 1000).toISOString();
  return {
    id: c.Id.slice(0, 12),
    name: labels[STANDALONE_SERVICE_LABEL],
    image: c.Image,
    mode: 'standalone',
    desired: 1,
    running: c.State === 'running' ? 1 : 0,
    pending: 0,
    pending_reason: null,
    update: null,
    command: null,
    env: {},
    reservations: reserved,
    limits: reserved,
    placement: {},
    max_replicas_per_node: null,
    constraints: [],
    ports: c.Ports.filter((p) => p.PublicPort).map((p) => ({ published: p.PublicPort!, target: p.PrivatePort, protocol: p.Type })),
    created_at: created,
    updated_at: created,
    tasks: [{ id: c.Id.slice(0, 12), slot: null, node_id: nodeId, swarm_node: null, state: c.State, desired_state: 'running', error: null, message: c.Status, exit_code: null, image: c.Image, updated_at: created }],
  };
}

/** The node for a standalone service: suggest's best Docker node outside the swarm that fits the placement. */
export function pickStandaloneNode(spec: ServiceSpec, survey: FleetSurvey, registry: NodeRegistry, suggestion: PlacementResponse): string {
  const roles = spec.placement?.roles ?? [];
  const eligible = (id: string) => survey.outside.has(id) && (roles.length === 0 || roles.includes(registry.require(id).role));
  const pick = suggestion.candidates.find((c) => eligible(c.node_id));
  if (pick) return pick.node_id;
  const why = suggestion.rejected.filter((r) => survey.outside.has(r.node_id)).map((r) => `${r.node_id}: ${r.reason}`);
  throw new OrchestratorError(
    'conflict',
    survey.outside.size === 0
      ? 'No Docker node outside a swarm answered: enable Docker on a node (docker.enabled) that is not in a swarm, or deploy to the swarm'
      : `No Docker node outside the swarm has room for ${spec.name}${why.length ? ` (${why.join('; ')})` : ''}`,
    [{ field: 'mode', message: 'no standalone node fits' }],
    survey.outside.size === 0 ? { code: 'no_standalone_node' } : { code: 'no_standalone_room', params: { name: spec.name, detail: why.join('; ') || '—' } },
  );
}

/** `docker run -d --init --name NAME`, with the limits (or else the reservations) as its cgroup limits. */
export async function runStandalone(containers: ContainerService, registry: NodeRegistry, nodeId: string, spec: ServiceSpec): Promise<void> {
  const node = registry.require(nodeId);
  const limits = spec.limits ?? spec.reservations ?? {};
  const reserved = spec.reservations ?? spec.limits ?? {};
  const restart = { condition: 'any', max_attempts: 0, ...spec.restart };
  const ports = spec.ports ?? [];
  const body = {
    Image: spec.image,
    ...(spec.command ? { Cmd: spec.command } : {}),
    Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
    Labels: {
      [DEPLOYED_BY_LABEL]: 'mcp-cloud-orchestrator',
      [STANDALONE_SERVICE_LABEL]: spec.name,
      ...(reserved.cpus ? { [RESERVED_CPUS_LABEL]: String(reserved.cpus) } : {}),
      ...(reserved.memory_mb ? { [RESERVED_MEMORY_LABEL]: String(reserved.memory_mb) } : {}),
    },
    ExposedPorts: Object.fromEntries(ports.map((p) => [`${p.target}/${p.protocol}`, {}])),
    HostConfig: {
      Init: true,
      ...(limits.cpus ? { NanoCpus: Math.round(limits.cpus * 1e9) } : {}),
      ...(limits.memory_mb ? { Memory: limits.memory_mb * 1024 * 1024 } : {}),
      RestartPolicy: { Name: RESTART[restart.condition], ...(restart.condition === 'on-failure' ? { MaximumRetryCount: restart.max_attempts } : {}) },
      PortBindings: Object.fromEntries(ports.map((p) => [`${p.target}/${p.protocol}`, [{ HostPort: String(p.published) }]])),
    },
  };
  await containers.call(node, async (e) => {
    const { Id } = await e.createContainer(spec.name, body);
    try {
      await e.containerAction(Id, 'start');
    } catch (error) {
      await e.removeContainer(Id).catch(() => undefined); // a container that cannot start is not left behind
      throw error;
    }
  });
}
