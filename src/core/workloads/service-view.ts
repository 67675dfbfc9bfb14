import type { JobView, PlanNode, ServiceView, WorkloadTask } from '../../shared/schemas/workloads';
import type { EngineService, EngineTask } from '../containers/docker-engine';
import type { SwarmSnapshot } from '../containers/swarm-service';
import { envRecord, fromEngineResources, placementFromConstraints } from './swarm-spec';

// Swarm's services and tasks as our views: desired and running replicas, tasks with Swarm's reasons,
// the update state as a person reads it.

const LIVE = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);
const UPDATE_STATE: Record<string, NonNullable<ServiceView['update']>['state']> = {
  updating: 'updating',
  paused: 'paused',
  completed: 'updated',
  rollback_started: 'rolling_back',
  rollback_paused: 'rollback_paused',
  rollback_completed: 'rolled_back',
};

export function toTask(t: EngineTask, snap: SwarmSnapshot): WorkloadTask {
  return {
    id: t.ID,
    slot: t.Slot ?? null,
    node_id: t.NodeID ? (snap.match.get(t.NodeID) ?? null) : null,
    swarm_node: t.NodeID ? (snap.nodes.find((n) => n.ID === t.NodeID)?.Description.Hostname ?? t.NodeID) : null,
    state: t.Status.State,
    desired_state: t.DesiredState,
    error: t.Status.Err ?? null,
    message: t.Status.Message ?? null,
    exit_code: t.Status.ContainerStatus?.ExitCode ?? null,
    image: (t.Spec?.ContainerSpec?.Image ?? '').split('@')[0],
    updated_at: t.UpdatedAt,
  };
}

/**
 * The tasks worth showing: those Swarm still wants (running, or pending with its reason), and for a
 * slot with none running, its newest ended task, so "No such image" or an exit code is not hidden.
 */
export function currentTasks(tasks: EngineTask[]): EngineTask[] {
  const wanted = tasks.filter((t) => t.DesiredState !== 'shutdown' || LIVE.has(t.Status.State));
  const runningSlots = new Set(wanted.filter((t) => t.Status.State === 'running').map((t) => `${t.Slot ?? t.NodeID}`));
  const newestEnded = new Map<string, EngineTask>();
  for (const t of tasks) {
    const slot = `${t.Slot ?? t.NodeID}`;
    if (wanted.includes(t) || runningSlots.has(slot) || !t.Status.Err) continue;
    const seen = newestEnded.get(slot);
    if (!seen || seen.UpdatedAt < t.UpdatedAt) newestEnded.set(slot, t);
  }
  return [...wanted, ...newestEnded.values()].sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0) || a.UpdatedAt.localeCompare(b.UpdatedAt));
}

/** Per node, why the service's pending tasks are not placed (the plan's reasons for its spec, now). */
export type PendingExplainer = (service: EngineService, pending: number) => { summary: string; nodes: PlanNode[] };

export function toServiceView(s: EngineService, tasks: EngineTask[], snap: SwarmSnapshot, explain?: PendingExplainer): ServiceView {
  const spec = s.Spec;
  const mine = tasks.filter((t) => t.ServiceID === s.ID);
  const shown = currentTasks(mine).map((t) => toTask(t, snap));
  const pending = shown.filter((t) => t.state === 'pending' && t.desired_state !== 'shutdown');
  const mode = spec.Mode.Global ? 'global' : spec.Mode.ReplicatedJob || spec.Mode.GlobalJob ? 'job' : 'replicated';
  const activeNodes = snap.nodes.filter((n) => n.Spec.Availability === 'active' && n.Status.State === 'ready').length;
  const desired = s.ServiceStatus?.DesiredTasks ?? (mode === 'global' ? activeNodes : mode === 'job' ? (spec.Mode.ReplicatedJob?.TotalCompletions ?? 0) : (spec.Mode.Replicated?.Replicas ?? 0));
  const constraints = spec.TaskTemplate.Placement?.Constraints ?? [];
  const u = s.UpdateStatus;
  return {
    id: s.ID,
    name: spec.Name,
    image: spec.TaskTemplate.ContainerSpec.Image.split('@')[0],
    mode,
    desired,
    running: shown.filter((t) => t.state === 'running').length,
    pending: pending.length,
    pending_reason: pending.length > 0 ? { swarm: pending.find((t) => t.error)?.error ?? null, ...(explain ? explain(s, pending.length) : { summary: '', nodes: [] }) } : null,
    update: u?.State && UPDATE_STATE[u.State] ? { state: UPDATE_STATE[u.State], message: u.Message ?? null, cause: updateCause(u.State, u.StartedAt, mine, snap), started_at: u.StartedAt ?? null, completed_at: u.CompletedAt ?? null } : null,
    command: spec.TaskTemplate.ContainerSpec.Args ?? null,
    env: envRecord(spec.TaskTemplate.ContainerSpec.Env),
    reservations: fromEngineResources(spec.TaskTemplate.Resources?.Reservations),
    limits: fromEngineResources(spec.TaskTemplate.Resources?.Limits),
    placement: placementFromConstraints(constraints),
    max_replicas_per_node: spec.TaskTemplate.Placement?.MaxReplicas || null,
    constraints,
    ports: (spec.EndpointSpec?.Ports ?? []).map((p) => ({ published: p.PublishedPort ?? 0, target: p.TargetPort, protocol: p.Protocol ?? 'tcp' })),
    created_at: s.CreatedAt ?? '',
    updated_at: s.UpdatedAt ?? '',
    tasks: shown,
  };
}

/** Swarm's last word on a rolled-back or paused update is "rollback completed": the cause is the newest task that failed since the update began. */
function updateCause(state: string, startedAt: string | undefined, tasks: EngineTask[], snap: SwarmSnapshot): string | null {
  if (!/paused|rollback/.test(state)) return null;
  const failed = tasks
    .filter((t) => t.Status.Err && ['failed', 'rejected'].includes(t.Status.State) && (!startedAt || t.UpdatedAt >= startedAt))
    .sort((a, b) => b.UpdatedAt.localeCompare(a.UpdatedAt))[0];
  if (!failed) return null;
  const task = toTask(failed, snap);
  return `${failed.Status.Err} on ${task.node_id ?? task.swarm_node ?? 'an unknown node'}`;
}

/** A job's runs, oldest first, each with its exit code and its last log lines. */
export function toJobView(s: EngineService, tasks: EngineTask[], snap: SwarmSnapshot, logs: Map<string, JobView['runs'][number]['logs']>): JobView {
  const mine = tasks.filter((t) => t.ServiceID === s.ID).sort((a, b) => (a.CreatedAt ?? a.UpdatedAt).localeCompare(b.CreatedAt ?? b.UpdatedAt));
  const job = s.Spec.Mode.ReplicatedJob ?? {};
  const completions = job.TotalCompletions ?? 1;
  const succeeded = mine.filter((t) => t.Status.State === 'complete').length;
  return {
    id: s.ID,
    name: s.Spec.Name,
    image: s.Spec.TaskTemplate.ContainerSpec.Image.split('@')[0],
    completions,
    concurrency: job.MaxConcurrent ?? 1,
    succeeded,
    failed: mine.filter((t) => ['failed', 'rejected'].includes(t.Status.State)).length,
    running: mine.filter((t) => LIVE.has(t.Status.State) && t.DesiredState !== 'shutdown').length,
    state: succeeded >= completions ? 'complete' : 'running',
    created_at: s.CreatedAt ?? '',
    runs: mine.map((t) => ({ ...toTask(t, snap), logs: logs.get(t.ID) ?? [] })),
  };
}
