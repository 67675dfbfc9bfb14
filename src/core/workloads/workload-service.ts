import { OrchestratorError } from '../../shared/errors';
import type { JobSpec, JobView, Placement, ServiceList, ServicePatch, ServicePlan, ServiceSpec, ServiceView, WorkloadLogs } from '../../shared/schemas/workloads';
import type { NodeRegistry } from '../registry/node-registry';
import type { AuditLog } from '../ssh/audit-log';
import type { ContainerService } from '../containers/container-service';
import type { DockerEngine, EngineService } from '../containers/docker-engine';
import type { SwarmService, SwarmSnapshot } from '../containers/swarm-service';
import { splitLogFrames } from '../containers/log-frames';
import type { NodeMetrics, PlacementResponse } from '../../shared/schemas/ssh';
import type { HealthState } from '../../shared/schemas/node';
import type { SwarmLabelSync } from './node-labels';
import { applyPatch, isScaleOnly, jobToEngineSpec, toEngineSpec } from './swarm-spec';
import { toJobView, toServiceView, type PendingExplainer } from './service-view';
import { planPlacement } from './placement-plan';
import { nodeFacts, pendingRequest, planConflicts, planRequest } from './plan-facts';
import type { EngineTask } from '../containers/docker-engine';
import { allocationOf, surveyFleet } from './fleet-survey';
import { pickStandaloneNode, runStandalone, standaloneContainers, standaloneView } from './standalone';

/** The values of `list` that `has` refuses, as one readable list ("—" for none). */
const unmatched = (list: string[] | undefined, has: (value: string) => boolean): string => (list ?? []).filter((v) => !has(v)).join(', ') || '—';

type Call = <T>(use: (e: DockerEngine) => Promise<T>) => Promise<T>;
type SwarmFound = { snap: SwarmSnapshot; call: Call; service: EngineService };
type StandaloneFound = ReturnType<typeof standaloneContainers>[number];

export interface WorkloadDeps {
  /** Placement over live metrics and current reservations (core.suggest). */
  suggest: (request: { cpu_cores: number; memory_gb: number; tags: string[]; limit: number }) => Promise<PlacementResponse>;
  metricsOf: (id: string) => NodeMetrics | null;
  /** Our monitor's state of a node: a plan warns of a node Swarm may place on though our probes fail. */
  stateOf: (id: string) => HealthState | undefined;
}

const MAX_LOG_BYTES = 1024 * 1024;
/** A job's runs read back with their logs: the newest this many. */
const JOB_RUNS_WITH_LOGS = 50;
const JOB_RUN_LOG_LINES = 50;

/**
 * Services and jobs on Docker Swarm, through a manager among our nodes: deploy, scale, update (a
 * rolling update that rolls back by itself), roll back, remove, logs. Swarm places every task; we
 * only write the spec, label the nodes, and read back what Swarm says. Each action is audited
 * before it acts.
 */
export class WorkloadService {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly containers: ContainerService,
    private readonly swarm: SwarmService,
    private readonly labels: SwarmLabelSync,
    private readonly audit: AuditLog,
    private readonly deps: WorkloadDeps,
  ) {}

  /** A manager, and a way to call its engine with every failure as one clear error. */
  async #manager(): Promise<{ snap: SwarmSnapshot; call: Call }> {
    const snap = await this.swarm.snapshot();
    const node = this.registry.require(snap.managerNodeId);
    return { snap, call: (use) => this.containers.call(node, use) };
  }

  /** Swarm's services and jobs, our standalone containers, and each node's allocation. */
  async list(): Promise<ServiceList> {
    if (!this.registry.all().some((n) => n.docker?.enabled)) await this.swarm.snapshot(); // throws the clear "no node has Docker enabled"
    const survey = await surveyFleet(this.registry, this.containers, this.swarm, true);
    if (!survey.snap && survey.outside.size === 0) await this.swarm.snapshot(); // nothing answered: say why
    const explain = survey.snap ? this.#explainer(survey.snap, survey.tasks) : undefined;
    const swarmViews = survey.snap ? survey.services.map((s) => toServiceView(s, survey.tasks, survey.snap!, explain)) : [];
    const views = [...swarmViews, ...standaloneContainers(survey).map(({ nodeId, container }) => standaloneView(nodeId, container))].sort((a, b) => a.name.localeCompare(b.name));
    return { manager_node_id: survey.snap?.managerNodeId ?? null, services: views, count: views.length, allocation: allocationOf(survey, this.registry, this.deps.metricsOf) };
  }

  async get(name: string): Promise<ServiceView> {
    const found = await this.#locate(name);
    return 'container' in found ? standaloneView(found.nodeId, found.container) : this.#view(found.snap, found.call, found.service);
  }

  /**
   * The service `name`: in the swarm first (one manager round trip), else a standalone container of
   * that name (a survey of the Docker nodes outside the swarm); neither, the swarm's own error.
   */
  async #locate(name: string): Promise<SwarmFound | StandaloneFound> {
    try {
      return await this.#swarmService(name);
    } catch (error) {
      const standalone = await this.#standalone(name).catch(() => null);
      if (standalone) return standalone;
      throw error;
    }
  }

  /** The Swarm service `name` and its manager; when there is none, a standalone one is refused as one that cannot be `what`. */
  async #swarmService(name: string, what?: string): Promise<SwarmFound> {
    try {
      const manager = await this.#manager();
      return { ...manager, service: await this.#find(manager.call, name) };
    } catch (error) {
      if (what) await this.#refuseStandalone(name, what);
      throw error;
    }
  }

  /** The service as it is now, with its tasks and Swarm's running count. */
  async #view(snap: SwarmSnapshot, call: Call, service: EngineService): Promise<ServiceView> {
    // Every task: the pending ones' explanation counts what the others hold on each node.
    const [withStatus, tasks] = await call((e) => Promise.all([e.services(true), e.tasks()]));
    return toServiceView(withStatus.find((s) => s.ID === service.ID) ?? service, tasks, snap, this.#explainer(snap, tasks));
  }

  /** Why a service's pending tasks are not placed, per node: the plan of its spec for that many more, now. */
  #explainer(snap: SwarmSnapshot, tasks: EngineTask[]): PendingExplainer {
    const dockerNodes = this.registry.all().filter((n) => n.docker?.enabled);
    return (service, pending) => {
      const plan = planPlacement(pendingRequest(service, pending), nodeFacts({ snap, tasks, nodes: dockerNodes, healthOf: this.deps.stateOf, serviceId: service.ID }));
      return { summary: plan.summary, nodes: plan.nodes };
    };
  }

  /**
   * Where a spec's tasks would go now and why the rest cannot, without changing anything: Swarm's
   * scheduler predicted from a manager's own figures (nodes, and the tasks holding their resources).
   */
  async plan(spec: ServiceSpec | (JobSpec & { mode: 'job' })): Promise<ServicePlan> {
    if (spec.mode === 'standalone') {
      throw new OrchestratorError('validation_error', 'A plan covers Swarm services; a standalone container goes where POST /cluster/suggest says', [{ field: 'mode', message: 'standalone has no plan' }], { code: 'plan_standalone' });
    }
    const { snap, call } = await this.#manager();
    const [tasks, services] = await call((e) => Promise.all([e.tasks(), e.services()]));
    const facts = nodeFacts({ snap, tasks, nodes: this.registry.all().filter((n) => n.docker?.enabled), healthOf: this.deps.stateOf });
    return { ...planPlacement(planRequest(spec), facts), conflicts: planConflicts({ name: spec.name, ports: 'ports' in spec ? spec.ports : undefined }, services), manager_node_id: snap.managerNodeId };
  }

  async deploy(spec: ServiceSpec, actor: string): Promise<ServiceView> {
    if (spec.mode === 'standalone') return this.#deployStandalone(spec, actor);
    const { snap, call } = await this.#manager();
    await this.#refuseTaken(call, spec.name);
    if (spec.ports?.length) await this.#refusePortsTaken(call, spec);
    await this.#checkPlacement(snap, spec.placement);
    const detail = `${spec.name}: ${spec.image}, ${spec.mode === 'global' ? 'global' : `${spec.replicas ?? 1} replicas`}`;
    let id = '';
    await this.#audited(actor, 'service_deploy', detail, async () => ({ ID: id } = await call((e) => e.createService(toEngineSpec(spec)))));
    return this.#view(snap, call, await call((e) => e.inspectService(id)));
  }

  /** `replicas` alone scales; any other field is a rolling update (failure_action rollback by default). */
  async change(name: string, patch: ServicePatch, actor: string): Promise<ServiceView> {
    const { snap, call, service } = await this.#swarmService(name, 'scaled or updated');
    if (patch.replicas !== undefined && !service.Spec.Mode.Replicated) {
      throw new OrchestratorError('validation_error', `${name} is not a replicated service: its replicas cannot be set`, [{ field: 'replicas', message: 'only a replicated service scales' }], { code: 'not_replicated', params: { name } });
    }
    if (patch.placement) await this.#checkPlacement(snap, patch.placement);
    const action = isScaleOnly(patch) ? 'service_scale' : 'service_update';
    // The audit names the variables of an env change, never their values.
    const detail = `${name}: ${Object.entries(patch).map(([k, v]) => `${k}=${k === 'env' && v ? JSON.stringify(Object.keys(v)) : JSON.stringify(v)}`).join(', ')}`.slice(0, 400);
    await this.#audited(actor, action, detail, () => call((e) => e.updateService(service.ID, service.Version?.Index ?? 0, applyPatch(service.Spec, patch))));
    return this.#view(snap, call, await call((e) => e.inspectService(service.ID)));
  }

  /** Back to the spec before the last update (Swarm's PreviousSpec). */
  async rollback(name: string, actor: string): Promise<ServiceView> {
    const { snap, call, service } = await this.#swarmService(name, 'rolled back');
    await this.#audited(actor, 'service_rollback', name, () => call((e) => e.updateService(service.ID, service.Version?.Index ?? 0, service.Spec, true)));
    return this.#view(snap, call, await call((e) => e.inspectService(service.ID)));
  }

  async remove(name: string, actor: string): Promise<{ removed: string; mode: ServiceView['mode'] }> {
    const found = await this.#locate(name);
    if ('container' in found) {
      const node = this.registry.require(found.nodeId);
      await this.#audited(actor, 'service_remove', `${name} (standalone on ${node.id})`, () => this.containers.call(node, (e) => e.removeContainer(found.container.Id)), [node.id]);
      return { removed: name, mode: 'standalone' };
    }
    const { snap, call, service } = found;
    const mode = toServiceView(service, [], snap).mode;
    await this.#audited(actor, mode === 'job' ? 'job_remove' : 'service_remove', name, () => call((e) => e.removeService(service.ID)));
    return { removed: name, mode };
  }

  /** The newest `tail` lines of every task together, in time order, each with its task and node. */
  async logs(name: string, tail: number): Promise<WorkloadLogs> {
    const found = await this.#locate(name);
    if ('container' in found) {
      const logs = await this.containers.logs(found.nodeId, found.container.Id, { tail, timestamps: false });
      return { name, lines: logs.lines.map((l) => ({ ...l, task_id: logs.id.slice(0, 12), node_id: found.nodeId })), truncated: logs.truncated };
    }
    const { snap, call, service } = found;
    const raw = await call((e) => e.serviceLogs(service.ID, tail));
    const lines = splitLogFrames(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw ?? '')), false)
      .map((line) => {
        // "<timestamp> <k=v,k=v,…> <text>", as details=true and timestamps=true write it
        const m = /^(\S+) (\S*=\S*) ?(.*)$/.exec(line.text);
        const details = new Map((m?.[2] ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
        const swarmNode = details.get('com.docker.swarm.node.id');
        return { at: m?.[1] ?? '', stream: line.stream, text: m ? m[3] : line.text, task_id: details.get('com.docker.swarm.task.id') ?? null, node_id: swarmNode ? (snap.match.get(swarmNode) ?? null) : null };
      })
      .sort((a, b) => a.at.localeCompare(b.at));
    let bytes = 0;
    let first = lines.length;
    while (first > 0 && lines.length - first < tail && bytes + lines[first - 1].text.length <= MAX_LOG_BYTES) bytes += lines[--first].text.length;
    return { name, lines: lines.slice(first).map(({ at: _at, ...line }) => line), truncated: first > 0 && bytes + lines[first - 1].text.length > MAX_LOG_BYTES };
  }

  async runJob(spec: JobSpec, actor: string): Promise<JobView> {
    const { snap, call } = await this.#manager();
    await this.#refuseTaken(call, spec.name);
    await this.#checkPlacement(snap, spec.placement);
    const detail = `${spec.name}: ${spec.image}, ${spec.completions} completions, ${spec.concurrency} at once`;
    await this.#audited(actor, 'job_run', detail, () => call((e) => e.createService(jobToEngineSpec(spec))));
    return this.job(spec.name);
  }

  /** A job's state and every run Swarm keeps, with exit codes and logs, also after the job ended. */
  async job(name: string): Promise<JobView> {
    const { snap, call } = await this.#manager();
    const service = await this.#find(call, name);
    if (!service.Spec.Mode.ReplicatedJob) throw new OrchestratorError('not_found', `${name} is a service, not a job; read it with GET /cluster/services/${name}`, [{ field: 'name', message: 'not a job' }], { code: 'not_a_job', params: { name } });
    const tasks = await call((e) => e.tasks(service.ID));
    const withLogs = [...tasks].sort((a, b) => b.UpdatedAt.localeCompare(a.UpdatedAt)).slice(0, JOB_RUNS_WITH_LOGS).filter((t) => t.Status.ContainerStatus?.ContainerID);
    const logs = new Map(
      await Promise.all(
        withLogs.map(async (t) => {
          const raw = await call((e) => e.taskLogs(t.ID, JOB_RUN_LOG_LINES)).catch(() => Buffer.alloc(0));
          return [t.ID, splitLogFrames(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw ?? '')), false)] as const;
        }),
      ),
    );
    return toJobView(service, tasks, snap, logs);
  }

  /** One container on the Docker node outside the swarm that suggest picks, its reservations as its limits. */
  async #deployStandalone(spec: ServiceSpec, actor: string): Promise<ServiceView> {
    const survey = await surveyFleet(this.registry, this.containers, this.swarm);
    if (standaloneContainers(survey).some(({ container }) => container.Labels?.['mco.service'] === spec.name)) {
      throw new OrchestratorError('conflict', `A standalone service named "${spec.name}" already exists; remove it first, or choose another name`, [{ field: 'name', message: 'already exists' }], {
        code: 'service_exists',
        params: { name: spec.name },
      });
    }
    const reserved = spec.reservations ?? spec.limits ?? {};
    const suggestion = await this.deps.suggest({ cpu_cores: reserved.cpus ?? 0.01, memory_gb: (reserved.memory_mb ?? 6) / 1024, tags: spec.placement?.tags ?? [], limit: 1000 });
    const nodeId = pickStandaloneNode(spec, survey, this.registry, suggestion);
    await this.#audited(actor, 'service_deploy', `${spec.name}: ${spec.image}, standalone on ${nodeId} (suggested)`, () => runStandalone(this.containers, this.registry, nodeId, spec), [nodeId]);
    return this.get(spec.name);
  }

  /** Our standalone container named `name`, on a Docker node outside the swarm, if there is one. */
  async #standalone(name: string): Promise<ReturnType<typeof standaloneContainers>[number] | null> {
    if (!this.registry.all().some((n) => n.docker?.enabled)) return null;
    const survey = await surveyFleet(this.registry, this.containers, this.swarm);
    return standaloneContainers(survey).find(({ container }) => container.Labels?.['mco.service'] === name) ?? null;
  }

  async #refuseStandalone(name: string, what: string): Promise<void> {
    if (await this.#standalone(name)) {
      throw new OrchestratorError('conflict', `${name} is a standalone container: it cannot be ${what}; remove it and deploy again, or deploy it to a swarm`, [{ field: 'name', message: 'standalone' }], { code: 'standalone_only', params: { name } });
    }
  }

  async #find(call: Call, name: string): Promise<EngineService> {
    try {
      return await call((e) => e.inspectService(name));
    } catch (error) {
      if ((error as OrchestratorError).code === 'not_found') throw new OrchestratorError('not_found', `No service named "${name}" in the swarm`, [{ field: 'name', message: 'no such service' }], { code: 'service_not_found', params: { name } });
      throw error;
    }
  }

  async #refuseTaken(call: Call, name: string): Promise<void> {
    const existing = await this.#find(call, name).catch((error: OrchestratorError) => {
      if (error.code === 'not_found') return null;
      throw error;
    });
    if (existing) throw new OrchestratorError('conflict', `A service named "${name}" already exists; change it with PATCH /cluster/services/${name}, or choose another name`, [{ field: 'name', message: 'already exists' }], {
        code: 'service_exists',
        params: { name },
      });
  }

  /** A published port another service holds is refused here, naming it (Swarm's own refusal names only the port's owner ID in some versions). */
  async #refusePortsTaken(call: Call, spec: ServiceSpec): Promise<void> {
    const taken = planConflicts(spec, await call((e) => e.services())).filter((c) => c.code === 'port_taken');
    if (taken.length === 0) return;
    throw new OrchestratorError(
      'conflict',
      `Cannot deploy ${spec.name}: ${taken.map((c) => c.message).join('; ')}`,
      taken.map((c) => ({ field: `ports.${c.params.index}.published`, message: `already published by service ${c.params.service}` })),
      { code: 'port_taken', params: { port: taken[0].params.port, service: taken[0].params.service } },
    );
  }

  /** Labels the swarm's nodes from our registry, then refuses a role or tag that no node of the swarm has. */
  async #checkPlacement(snap: SwarmSnapshot, placement: Placement | undefined): Promise<void> {
    if (!placement?.roles?.length && !placement?.tags?.length) return;
    await this.labels.sync(snap);
    const members = [...snap.match.values()].map((id) => this.registry.get(id)).filter((n) => n !== undefined);
    const problems = [
      ...(placement.roles ?? []).map((role, i) => (members.some((n) => n.role === role) ? null : { field: `placement.roles[${i}]`, message: `no node of the swarm has role ${role}` })),
      ...(placement.tags ?? []).map((tag, i) => (members.some((n) => n.tags.includes(tag)) ? null : { field: `placement.tags[${i}]`, message: `no node of the swarm has tag ${tag}` })),
    ].filter((p) => p !== null);
    if (problems.length > 0) throw new OrchestratorError('validation_error', `Invalid placement — ${problems.map((p) => p.message).join('; ')}`, problems, {
        code: 'placement_unmatched',
        params: { roles: unmatched(placement.roles, (role) => members.some((n) => n.role === role)), tags: unmatched(placement.tags, (tag) => members.some((n) => n.tags.includes(tag))) },
      });
  }

  async #audited(actor: string, action: string, detail: string, act: () => Promise<unknown>, nodes: string[] = []): Promise<void> {
    this.audit.record({ actor, action, nodes, detail, outcome: 'requested' });
    try {
      await act();
    } catch (error) {
      const e = error as OrchestratorError;
      this.audit.record({ actor, action, nodes, detail, outcome: `${e.code ?? 'error'}: ${e.message}` });
      throw error;
    }
    this.audit.record({ actor, action, nodes, detail, outcome: 'ok' });
  }
}
