import { z } from 'zod';
import { McpScaleServiceArgsSchema, McpServiceLogsArgsSchema, McpServiceNameArgsSchema, McpUpdateServiceArgsSchema } from '../../shared/schemas/mcp';
import { JobSpecSchema, JobViewSchema, ServiceListSchema, ServicePlanSchema, ServiceRemovedSchema, ServiceSpecSchema, ServiceViewSchema, WorkloadLogsSchema, type ServicePlan, type ServiceSpec } from '../../shared/schemas/workloads';
import { READ_REMOTE, type Annotations, type ToolTable } from '../mcp/tool-table';

const ACTS: Annotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

/** MCP tools for services and jobs on Docker Swarm; every tool that acts passes the command policy and is audited before it acts. */
export const workloadTools: ToolTable = ({ core, tool, actor }) => {
  const { workloads } = core;

  tool('list_services', {
    title: 'List services',
    description: 'Services and jobs on Docker Swarm (as GET /cluster/services): desired, running and pending replicas with Swarm\'s reason for a task it cannot place (e.g. "no suitable node (insufficient resources on 3 nodes)"), the update state (updating, paused, rolled_back with its cause), reservations, limits, placement, and each task with its node, state, error and exit code.',
    input: z.strictObject({}), output: ServiceListSchema, annotations: READ_REMOTE,
  }, () => workloads.list());

  tool('plan_service', {
    title: 'Plan service',
    description: 'Where a service spec\'s tasks would go now and why the rest cannot (as POST /cluster/services/plan), changing nothing: wanted and fits, per node the tasks it would take, its free CPU and memory after Swarm\'s reservations, and reasons (insufficient_cpu, insufficient_memory, placement, unavailable, max_replicas_per_node) or warnings (down_by_probes, maintenance), a one-line summary, smaller reservations with which all would fit, and conflicts (name or published port taken). Takes the same spec as deploy_service.',
    input: ServiceSpecSchema, output: ServicePlanSchema, annotations: READ_REMOTE,
  }, (spec) => workloads.plan(spec));

  /** A plan as one line for the person asked to approve a deploy, or for its answer when not all fit. */
  const planned = (spec: ServiceSpec): Promise<ServicePlan | null> => (spec.mode === 'standalone' ? Promise.resolve(null) : workloads.plan(spec).catch(() => null));

  tool('deploy_service', {
    title: 'Deploy service',
    description: 'Deploys a Swarm service (as POST /cluster/services): name, image, command (array), env, replicas or mode "global", reservations and limits {cpus, memory_mb}, placement {roles, tags} from our registry, max_replicas_per_node, ports, restart, update {parallelism, delay_s, failure_action (default rollback), monitor_s}. Swarm\'s scheduler places the tasks; when not all fit, the answer carries the plan saying why (plan_service shows it before). Subject to the server command policy; audited.',
    input: ServiceSpecSchema, output: ServiceViewSchema.extend({ plan: ServicePlanSchema.optional() }), annotations: ACTS,
    acts: {
      foresee: async (spec) => {
        const plan = await planned(spec);
        return plan ? `Plan: ${plan.summary}` : null;
      },
    },
  }, async (spec) => {
    const plan = await planned(spec);
    const view = await workloads.deploy(spec, actor);
    return plan && plan.fits < plan.wanted ? { ...view, plan } : view;
  });

  tool('scale_service', {
    title: 'Scale service',
    description: 'Sets the replicas of a replicated service; tasks Swarm cannot place show as pending with its reason. Subject to the server command policy; audited.',
    input: McpScaleServiceArgsSchema, output: ServiceViewSchema, annotations: { ...ACTS, destructiveHint: true, idempotentHint: true },
  }, ({ name, replicas }) => workloads.change(name, { replicas }, actor));

  tool('update_service', {
    title: 'Update service',
    description: 'A rolling update of image, command, env, reservations, limits, placement or the update policy; with failure_action rollback (the default) a failing update rolls back by itself. Subject to the server command policy; audited.',
    input: McpUpdateServiceArgsSchema, output: ServiceViewSchema, annotations: { ...ACTS, destructiveHint: true },
  }, ({ name, ...patch }) => workloads.change(name, patch, actor));

  tool('rollback_service', {
    title: 'Roll back service',
    description: 'Returns a service to its spec before the last update or scale. Subject to the server command policy; audited.',
    input: McpServiceNameArgsSchema, output: ServiceViewSchema, annotations: { ...ACTS, destructiveHint: true },
  }, ({ name }) => workloads.rollback(name, actor));

  tool('remove_service', {
    title: 'Remove service',
    description: 'Removes a service or job and stops all its tasks. Subject to the server command policy; audited.',
    input: McpServiceNameArgsSchema, output: ServiceRemovedSchema, annotations: { ...ACTS, destructiveHint: true, idempotentHint: true },
  }, ({ name }) => workloads.remove(name, actor));

  tool('service_logs', {
    title: 'Service logs',
    description: 'The newest `tail` log lines of all of a service\'s (or job\'s) tasks, in time order, each with its task and node.',
    input: McpServiceLogsArgsSchema, output: WorkloadLogsSchema, annotations: READ_REMOTE,
  }, ({ name, tail }) => workloads.logs(name, tail));

  tool('run_job', {
    title: 'Run job',
    description: 'Runs one-off work as a Swarm replicated job (as POST /cluster/jobs): `completions` successful runs, at most `concurrency` at once; read it with job_status. Subject to the server command policy; audited.',
    input: JobSpecSchema, output: JobViewSchema, annotations: ACTS,
  }, (job) => workloads.runJob(job, actor));

  tool('job_status', {
    title: 'Job status',
    description: 'A job\'s state (running or complete), succeeded and failed runs, and each run\'s node, exit code and last log lines, also after the job ended.',
    input: McpServiceNameArgsSchema, output: JobViewSchema, annotations: READ_REMOTE,
  }, ({ name }) => workloads.job(name));
};
