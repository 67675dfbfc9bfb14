import type { JobSpec, Placement, Resources, ServicePatch, ServiceSpec } from '../../shared/schemas/workloads';
import type { EngineResources, EngineServiceSpec, EngineUpdateConfig } from '../containers/docker-engine';
import { ROLE_LABEL, MANAGED_LABEL, tagFromLabelKey, tagLabelKey } from './node-labels';

// Our service and job specs to Swarm's, and back. Swarm counts CPUs in billionths and times in nanoseconds.

const NANO = 1e9;
const MB = 1024 * 1024;
/** Marks what this app deployed, beside Swarm's own labels. */
export const DEPLOYED_BY_LABEL = 'mco.deployed-by';
const ALL_ROLES = ['master', 'worker', 'storage'] as const;

export function toEngineResources(r: Resources | undefined): EngineResources {
  const out: EngineResources = {};
  if (r?.cpus !== undefined) out.NanoCPUs = Math.round(r.cpus * NANO);
  if (r?.memory_mb !== undefined) out.MemoryBytes = r.memory_mb * MB;
  return out;
}

export function fromEngineResources(r: EngineResources | undefined): Resources {
  const out: Resources = {};
  if (r?.NanoCPUs) out.cpus = r.NanoCPUs / NANO;
  if (r?.MemoryBytes) out.memory_mb = Math.round(r.MemoryBytes / MB);
  return out;
}

/**
 * Swarm ANDs its constraints and has no OR, so several roles are said as "none of the other roles",
 * on nodes this app labelled (a node without our labels would pass every "!=").
 */
export function placementConstraints(placement: Placement | undefined): string[] {
  const out: string[] = [];
  const roles = placement?.roles ?? [];
  if (roles.length === 1) out.push(`node.labels.${ROLE_LABEL}==${roles[0]}`);
  else if (roles.length > 1 && roles.length < ALL_ROLES.length) {
    out.push(`node.labels.${MANAGED_LABEL}==true`, ...ALL_ROLES.filter((r) => !roles.includes(r)).map((r) => `node.labels.${ROLE_LABEL}!=${r}`));
  }
  // The same key the nodes' labels are written under (node-labels.ts), escaped alike.
  for (const tag of placement?.tags ?? []) out.push(`node.labels.${tagLabelKey(tag)}==true`);
  return out;
}

/** Our placement read back from the constraints we wrote; constraints set elsewhere are left out. */
export function placementFromConstraints(constraints: string[]): Placement {
  const placement: Placement = {};
  const eq = constraints.map((c) => /^node\.labels\.mco\.role==(\w+)$/.exec(c)?.[1]).filter((r): r is string => Boolean(r));
  const ne = constraints.map((c) => /^node\.labels\.mco\.role!=(\w+)$/.exec(c)?.[1]).filter((r): r is string => Boolean(r));
  const roles = eq.length > 0 ? eq : ne.length > 0 ? ALL_ROLES.filter((r) => !ne.includes(r)) : [];
  if (roles.length > 0) placement.roles = roles as Placement['roles'];
  const tags = constraints.map((c) => /^node\.labels\.mco\.tag\.(.+)==true$/.exec(c)?.[1]).filter((t): t is string => Boolean(t)).map(tagFromLabelKey);
  if (tags.length > 0) placement.tags = tags;
  return placement;
}

const envList = (env: Record<string, string> | undefined): string[] | undefined => (env ? Object.entries(env).map(([k, v]) => `${k}=${v}`) : undefined);

export function envRecord(env: string[] | undefined): Record<string, string> {
  return Object.fromEntries((env ?? []).map((e) => {
    const at = e.indexOf('=');
    return at < 0 ? [e, ''] : [e.slice(0, at), e.slice(at + 1)];
  }));
}

function updateConfig(update: ServiceSpec['update']): { UpdateConfig: EngineUpdateConfig; RollbackConfig: EngineUpdateConfig } {
  const u = { parallelism: 1, delay_s: 0, failure_action: 'rollback', monitor_s: 5, order: 'stop-first', ...update };
  return {
    UpdateConfig: { Parallelism: u.parallelism, Delay: Math.round(u.delay_s * NANO), FailureAction: u.failure_action, Monitor: Math.round(u.monitor_s * NANO), MaxFailureRatio: 0, Order: u.order },
    // A rollback that fails too pauses rather than loops.
    RollbackConfig: { Parallelism: u.parallelism, Delay: 0, FailureAction: 'pause', Monitor: Math.round(u.monitor_s * NANO), MaxFailureRatio: 0, Order: u.order },
  };
}

/** A service spec as Swarm takes it. `--init` as docker run has it, so a task stops at once rather than after the 10 s grace. */
export function toEngineSpec(spec: ServiceSpec): EngineServiceSpec {
  const restart = { condition: 'any', max_attempts: 0, delay_s: 5, ...spec.restart };
  return {
    Name: spec.name,
    Labels: { [DEPLOYED_BY_LABEL]: 'mcp-cloud-orchestrator' },
    TaskTemplate: {
      ContainerSpec: { Image: spec.image, ...(spec.command ? { Args: spec.command } : {}), ...(spec.env ? { Env: envList(spec.env) } : {}), Init: true },
      Resources: { Reservations: toEngineResources(spec.reservations), Limits: toEngineResources(spec.limits) },
      RestartPolicy: { Condition: restart.condition, Delay: Math.round(restart.delay_s * NANO), MaxAttempts: restart.max_attempts },
      Placement: { Constraints: placementConstraints(spec.placement), ...(spec.max_replicas_per_node ? { MaxReplicas: spec.max_replicas_per_node } : {}) },
    },
    Mode: spec.mode === 'global' ? { Global: {} } : { Replicated: { Replicas: spec.replicas ?? 1 } },
    ...updateConfig(spec.update),
    EndpointSpec: { Mode: 'vip', Ports: (spec.ports ?? []).map((p) => ({ Protocol: p.protocol, TargetPort: p.target, PublishedPort: p.published, PublishMode: 'ingress' })) },
  };
}

export function jobToEngineSpec(job: JobSpec): EngineServiceSpec {
  return {
    Name: job.name,
    Labels: { [DEPLOYED_BY_LABEL]: 'mcp-cloud-orchestrator', 'mco.kind': 'job' },
    TaskTemplate: {
      ContainerSpec: { Image: job.image, ...(job.command ? { Args: job.command } : {}), ...(job.env ? { Env: envList(job.env) } : {}), Init: true },
      Resources: { Reservations: toEngineResources(job.reservations), Limits: toEngineResources(job.limits) },
      // Swarm retries a failed run of a job whatever the policy says; no delay keeps the retries short.
      RestartPolicy: { Condition: 'on-failure', Delay: 0, MaxAttempts: 0 },
      Placement: { Constraints: placementConstraints(job.placement) },
    },
    Mode: { ReplicatedJob: { MaxConcurrent: job.concurrency, TotalCompletions: job.completions } },
  };
}

/**
 * The current spec with a patch applied. Only `replicas` changes the mode; any other field is a
 * rolling update of the task template. Our constraints are replaced and others' kept.
 */
export function applyPatch(current: EngineServiceSpec, patch: ServicePatch): EngineServiceSpec {
  const next: EngineServiceSpec = structuredClone(current);
  const container = next.TaskTemplate.ContainerSpec;
  if (patch.replicas !== undefined) next.Mode = { Replicated: { Replicas: patch.replicas } };
  if (patch.image !== undefined) container.Image = patch.image;
  if (patch.command !== undefined) container.Args = patch.command;
  if (patch.env !== undefined) container.Env = envList(patch.env);
  if (patch.reservations !== undefined || patch.limits !== undefined) {
    const resources = (next.TaskTemplate.Resources ??= {});
    if (patch.reservations !== undefined) resources.Reservations = toEngineResources(patch.reservations);
    if (patch.limits !== undefined) resources.Limits = toEngineResources(patch.limits);
  }
  if (patch.placement !== undefined) {
    const theirs = (next.TaskTemplate.Placement?.Constraints ?? []).filter((c) => !/^node\.labels\.mco\./.test(c));
    next.TaskTemplate.Placement = { ...next.TaskTemplate.Placement, Constraints: [...theirs, ...placementConstraints(patch.placement)] };
  }
  if (patch.max_replicas_per_node !== undefined) next.TaskTemplate.Placement = { ...next.TaskTemplate.Placement, MaxReplicas: patch.max_replicas_per_node };
  if (patch.update !== undefined) Object.assign(next, updateConfig(patch.update));
  return next;
}

/** A patch that changes only `replicas` scales; Swarm starts or stops tasks without a rolling update. */
export const isScaleOnly = (patch: ServicePatch): boolean => Object.keys(patch).every((k) => k === 'replicas');
