import { OrchestratorError, type ErrorReason } from '../../shared/errors';
import type { SwarmAvailability, SwarmAvailabilityResult, SwarmNode, SwarmService as SwarmServiceView, SwarmTask, SwarmView } from '../../shared/schemas/containers';
import type { Node } from '../../shared/schemas/node';
import type { NodeRegistry } from '../registry/node-registry';
import type { AuditLog } from '../ssh/audit-log';
import type { ContainerService } from './container-service';
import type { DockerEngine, EngineService, EngineSwarmNode, EngineTask } from './docker-engine';

export interface SwarmSnapshot {
  managerNodeId: string;
  engine: DockerEngine;
  nodes: EngineSwarmNode[];
  /** Swarm node ID → our node id. */
  match: Map<string, string>;
}

const short = (hostname: string): string => hostname.toLowerCase().split('.')[0];

/**
 * Our nodes matched to Swarm's: an explicit docker.swarm_node (hostname or ID) first, then the
 * hostname (full, or its first label), then the address Swarm knows the node by.
 */
export function matchSwarmNodes(swarmNodes: EngineSwarmNode[], ours: Node[]): Map<string, string> {
  const match = new Map<string, string>();
  const taken = new Set<string>();
  const claim = (swarmId: string, nodeId: string) => {
    if (match.has(swarmId) || taken.has(nodeId)) return;
    match.set(swarmId, nodeId);
    taken.add(nodeId);
  };
  for (const node of ours) {
    const wanted = node.docker?.swarm_node;
    const hit = wanted ? swarmNodes.find((s) => s.ID === wanted || s.Description.Hostname === wanted) : undefined;
    if (hit) claim(hit.ID, node.id);
  }
  for (const s of swarmNodes) {
    const host = s.Description.Hostname.toLowerCase();
    const byName = ours.find((n) => !taken.has(n.id) && !n.docker?.swarm_node && (n.hostname.toLowerCase() === host || short(n.hostname) === short(host)));
    if (byName) claim(s.ID, byName.id);
  }
  for (const s of swarmNodes) {
    const addr = s.Status.Addr;
    const byAddr = addr ? ours.find((n) => !taken.has(n.id) && !n.docker?.swarm_node && n.tailscale_ip === addr) : undefined;
    if (byAddr) claim(s.ID, byAddr.id);
  }
  return match;
}

/** Docker Swarm as seen from any of our nodes that is (or reaches) a manager: nodes, services, tasks, drain and activate. */
export class SwarmService {
  #lastManager: string | null = null;

  constructor(
    private readonly registry: NodeRegistry,
    private readonly containers: ContainerService,
    private readonly audit: AuditLog,
  ) {}

  /** A manager's engine and the swarm's nodes; tries the manager that answered last time first. */
  async snapshot(preferred?: string): Promise<SwarmSnapshot> {
    const candidates = this.registry.all().filter((n) => n.docker?.enabled);
    if (candidates.length === 0) throw new OrchestratorError('conflict', 'No node has Docker enabled; set docker.enabled on a Swarm manager', [{ field: 'docker.enabled', message: 'no node' }], { code: 'no_docker_node' });
    const order = [preferred, this.#lastManager].filter((id): id is string => Boolean(id));
    candidates.sort((a, b) => rank(order, b.id) - rank(order, a.id));
    const failures: Array<{ text: string; reason?: ErrorReason }> = [];
    for (const node of candidates) {
      try {
        const info = await this.containers.call(node, (e) => e.info());
        if (!info.Swarm.ControlAvailable) {
          const worker = info.Swarm.LocalNodeState === 'active';
          failures.push({ text: `${node.id}: ${worker ? 'a worker' : 'not in a swarm'}`, reason: { code: worker ? 'swarm_worker' : 'swarm_none', params: { node: node.id } } });
          continue;
        }
        const engine = this.containers.engine(node);
        const nodes = await this.containers.call(node, (e) => e.swarmNodes());
        this.#lastManager = node.id;
        return { managerNodeId: node.id, engine, nodes, match: matchSwarmNodes(nodes, this.registry.all()) };
      } catch (error) {
        failures.push({ text: `${node.id}: ${(error as Error).message}`, reason: error instanceof OrchestratorError ? error.reason : undefined });
      }
    }
    const detail = failures.map((f) => f.text).join('; ');
    // The first failure's own reason goes along, so a window in another language can say it too.
    const cause = failures[0]?.reason;
    throw new OrchestratorError('unavailable', `No Swarm manager answered (${detail})`, [{ field: 'swarm', message: 'no manager' }], {
      code: 'no_swarm_manager',
      params: { detail, count: failures.length, ...(cause ? { cause_code: cause.code, ...Object.fromEntries(Object.entries(cause.params ?? {}).map(([k, v]) => [`cause.${k}`, v])) } : {}) },
    });
  }

  async view(): Promise<SwarmView> {
    const snap = await this.snapshot();
    const manager = this.registry.require(snap.managerNodeId);
    const [services, tasks] = await this.containers.call(manager, (e) => Promise.all([e.services(), e.tasks()]));
    return toView(snap, services, tasks);
  }

  /** The Swarm node that is our node `id`, or a clear error when none matches. */
  swarmNodeOf(snap: SwarmSnapshot, id: string): EngineSwarmNode {
    const swarmId = [...snap.match].find(([, ours]) => ours === id)?.[0];
    const node = snap.nodes.find((n) => n.ID === swarmId);
    if (!node) {
      throw new OrchestratorError('not_found', `${id} is not a node of the swarm managed from ${snap.managerNodeId} (matched by docker.swarm_node, hostname or address)`, [{ field: 'docker.swarm_node', message: 'no match' }], {
        code: 'not_swarm_node',
        params: { node: id, manager: snap.managerNodeId },
      });
    }
    return node;
  }

  /** Drain or activate our node in Swarm; audited before it acts. */
  async setAvailability(id: string, availability: Extract<SwarmAvailability, 'active' | 'drain'>, actor: string, snap?: SwarmSnapshot): Promise<SwarmAvailabilityResult> {
    this.registry.require(id);
    const s = snap ?? (await this.snapshot());
    const target = this.swarmNodeOf(s, id);
    if (target.Spec.Availability === availability) return { node_id: id, swarm_node: target.Description.Hostname, availability, changed: false };
    const action = availability === 'drain' ? 'swarm_drain' : 'swarm_activate';
    this.audit.record({ actor, action, nodes: [id], detail: `${target.Description.Hostname} (${target.ID.slice(0, 12)}) via ${s.managerNodeId}`, outcome: 'requested' });
    const manager = this.registry.require(s.managerNodeId);
    try {
      // Re-read for the current version index: a concurrent update would otherwise be refused.
      const fresh = await this.containers.call(manager, (e) => e.swarmNode(target.ID));
      await this.containers.call(manager, (e) => e.updateSwarmNode(fresh, availability));
    } catch (error) {
      this.audit.record({ actor, action, nodes: [id], detail: target.Description.Hostname, outcome: `error: ${(error as Error).message}` });
      throw error;
    }
    this.audit.record({ actor, action, nodes: [id], detail: target.Description.Hostname, outcome: 'ok' });
    return { node_id: id, swarm_node: target.Description.Hostname, availability, changed: true };
  }
}

const rank = (order: string[], id: string): number => {
  const i = order.indexOf(id);
  return i < 0 ? 0 : order.length - i;
};

const LIVE_TASK = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

export function toView(snap: SwarmSnapshot, services: EngineService[], tasks: EngineTask[]): SwarmView {
  const ourId = (swarmId: string | undefined) => (swarmId ? (snap.match.get(swarmId) ?? null) : null);
  const hostname = (swarmId: string | undefined) => snap.nodes.find((n) => n.ID === swarmId)?.Description.Hostname ?? swarmId ?? '';
  const serviceName = new Map(services.map((s) => [s.ID, s.Spec.Name]));
  const current = tasks.filter((t) => t.DesiredState === 'running' || LIVE_TASK.has(t.Status.State));
  const nodes: SwarmNode[] = snap.nodes.map((n) => ({
    id: n.ID,
    hostname: n.Description.Hostname,
    addr: n.Status.Addr ?? null,
    role: n.Spec.Role,
    state: n.Status.State,
    availability: n.Spec.Availability,
    leader: Boolean(n.ManagerStatus?.Leader),
    node_id: ourId(n.ID),
    running_tasks: current.filter((t) => t.NodeID === n.ID && t.Status.State === 'running').length,
  }));
  const serviceViews: SwarmServiceView[] = services.map((s) => {
    const running = current.filter((t) => t.ServiceID === s.ID && t.Status.State === 'running');
    const global = Boolean(s.Spec.Mode.Global);
    return {
      id: s.ID,
      name: s.Spec.Name,
      image: s.Spec.TaskTemplate.ContainerSpec.Image.split('@')[0],
      mode: global ? 'global' : 'replicated',
      desired: global ? snap.nodes.filter((n) => n.Spec.Availability === 'active' && n.Status.State === 'ready').length : (s.Spec.Mode.Replicated?.Replicas ?? 0),
      running: running.length,
      nodes: [...new Set(running.map((t) => ourId(t.NodeID) ?? hostname(t.NodeID)))].sort(),
    };
  });
  const taskViews: SwarmTask[] = current
    .map((t) => ({
      id: t.ID,
      service: serviceName.get(t.ServiceID) ?? t.ServiceID,
      slot: t.Slot ?? null,
      swarm_node: hostname(t.NodeID),
      node_id: ourId(t.NodeID),
      state: t.Status.State,
      desired_state: t.DesiredState,
      error: t.Status.Err ?? null,
      updated_at: t.UpdatedAt,
    }))
    .sort((a, b) => a.service.localeCompare(b.service) || (a.slot ?? 0) - (b.slot ?? 0));
  return { manager_node_id: snap.managerNodeId, nodes, services: serviceViews, tasks: taskViews };
}
