import { z } from 'zod';
import { NodeRoleSchema, TagSchema } from './node';

/**
 * Workloads run through Docker Swarm (issue 24): a service spec and a job spec, each one schema from
 * which REST and IPC validation, the OpenAPI document, the MCP tools and the window's form derive.
 * Swarm's scheduler places the work; these only say what is wanted.
 */

/** More replicas than this is a typo, not a plan (Swarm itself has no cap). */
export const MAX_REPLICAS = 1000;
/** Docker refuses a memory limit or reservation under 6 MB. */
export const MIN_MEMORY_MB = 6;

/** Docker's service names: a DNS label (Swarm's own rule, so the name also resolves inside overlay networks). */
export const ServiceNameSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(63, { error: 'must be at most 63 characters' })
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, { error: 'must be letters, digits and inner dashes (a DNS label)' });

/** An image reference as Docker's reference grammar allows: [registry[:port]/]path[:tag][@sha256:digest]. */
export const ImageRefSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(512, { error: 'must be at most 512 characters' })
  .regex(/^(?:[A-Za-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/, {
    error: 'must be an image reference such as nginx:1.27 or registry.example:5000/team/app@sha256:…',
  });

export const ResourcesSchema = z.strictObject({
  /** CPUs, e.g. 1.5; Swarm counts them in billionths. */
  cpus: z.number({ error: 'must be a number of CPUs' }).gt(0, { error: 'must be more than 0' }).max(1024, { error: 'must be at most 1024' }).optional(),
  memory_mb: z
    .int({ error: 'must be a whole number of MB' })
    .min(MIN_MEMORY_MB, { error: `must be at least ${MIN_MEMORY_MB} MB (Docker's minimum)` })
    .max(16 * 1024 * 1024, { error: 'must be at most 16777216 MB' })
    .optional(),
});
export type Resources = z.infer<typeof ResourcesSchema>;

/** Where tasks may run: nodes of any of `roles`, carrying every one of `tags` (our registry's, as Swarm labels). */
export const PlacementSchema = z.strictObject({
  roles: z.array(NodeRoleSchema).max(3).refine((r) => new Set(r).size === r.length, { error: 'roles must be unique' }).meta({ uniqueItems: true }).optional(),
  tags: z.array(TagSchema).max(16, { error: 'at most 16 tags' }).refine((t) => new Set(t).size === t.length, { error: 'tags must be unique' }).meta({ uniqueItems: true }).optional(),
});
export type Placement = z.infer<typeof PlacementSchema>;

const port = z.int({ error: 'must be a port number' }).min(1, { error: 'must be between 1 and 65535' }).max(65535, { error: 'must be between 1 and 65535' });
export const PortSchema = z.strictObject({
  /** The port every node of the swarm publishes (Swarm's routing mesh). */
  published: port,
  /** The port inside the container. */
  target: port,
  protocol: z.enum(['tcp', 'udp'], { error: 'must be tcp or udp' }).default('tcp'),
});

export const EnvSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a variable name (letters, digits, _)' }).max(256), z.string({ error: 'must be a string' }).max(32_768, { error: 'must be at most 32768 characters' }))
  .refine((env) => Object.keys(env).length <= 256, { error: 'at most 256 variables' })
  // The document carries both rules: OpenAPI 3.0 has no propertyNames, so the key rule is in words.
  .meta({ maxProperties: 256, description: 'Environment variables; each name matches ^[A-Za-z_][A-Za-z0-9_]*$ (at most 256 characters), each value at most 32768 characters' });

export const CommandSchema = z.array(z.string({ error: 'must be a string' }).max(8192, { error: 'must be at most 8192 characters' })).min(1, { error: 'must have at least the program' }).max(256, { error: 'at most 256 arguments' });

export const RestartPolicySchema = z.strictObject({
  condition: z.enum(['any', 'on-failure', 'none'], { error: 'must be any, on-failure or none' }).default('any'),
  /** 0: no limit. */
  max_attempts: z.int({ error: 'must be a whole number' }).min(0).max(1000).default(0),
  delay_s: z.number({ error: 'must be a number of seconds' }).min(0).max(3600).default(5),
});

export const UpdatePolicySchema = z.strictObject({
  /** Tasks updated at once (0: all at once). */
  parallelism: z.int({ error: 'must be a whole number' }).min(0).max(MAX_REPLICAS).default(1),
  delay_s: z.number({ error: 'must be a number of seconds' }).min(0).max(3600).default(0),
  failure_action: z.enum(['rollback', 'pause', 'continue'], { error: 'must be rollback, pause or continue' }).default('rollback'),
  /** How long each updated task is watched for a failure. */
  monitor_s: z.number({ error: 'must be a number of seconds' }).min(0).max(3600).default(5),
  order: z.enum(['stop-first', 'start-first'], { error: 'must be stop-first or start-first' }).default('stop-first'),
});

const replicas = z.int({ error: 'must be a whole number' }).min(0, { error: 'must be at least 0' }).max(MAX_REPLICAS, { error: `must be at most ${MAX_REPLICAS}` });
/** Swarm's Placement.MaxReplicas: at most this many tasks of the service on one node. */
const maxReplicasPerNode = z
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(MAX_REPLICAS, { error: `must be at most ${MAX_REPLICAS}` })
  .describe('At most this many tasks of the service on one node (Swarm: --replicas-max-per-node); replicated services only');

export const ServiceSpecSchema = z
  .strictObject({
    name: ServiceNameSchema,
    image: ImageRefSchema,
    command: CommandSchema.optional(),
    env: EnvSchema.optional(),
    /** standalone: one container (docker run) on the Docker node outside any swarm that suggest picks. */
    mode: z.enum(['replicated', 'global', 'standalone'], { error: 'must be replicated, global or standalone' }).default('replicated'),
    /** Replicated only; 1 when omitted. */
    replicas: replicas.optional(),
    reservations: ResourcesSchema.optional(),
    limits: ResourcesSchema.optional(),
    placement: PlacementSchema.optional(),
    max_replicas_per_node: maxReplicasPerNode.optional(),
    ports: z.array(PortSchema).max(64, { error: 'at most 64 ports' }).optional(),
    restart: RestartPolicySchema.optional(),
    update: UpdatePolicySchema.optional(),
  })
  .refine((s) => !(s.mode === 'global' && s.replicas !== undefined), { error: 'a global service runs one task per node: leave replicas out', path: ['replicas'] })
  .refine((s) => !(s.mode === 'standalone' && (s.replicas ?? 1) !== 1), { error: 'a standalone service is one container: replicas must be 1', path: ['replicas'] })
  .refine((s) => !(s.mode === 'standalone' && s.update), { error: 'a standalone container has no rolling update: leave update out', path: ['update'] })
  .refine((s) => !(s.mode !== 'replicated' && s.max_replicas_per_node !== undefined), { error: 'only a replicated service has a per-node limit: leave max_replicas_per_node out', path: ['max_replicas_per_node'] });
export type ServiceSpec = z.output<typeof ServiceSpecSchema>;
export type ServiceSpecInput = z.input<typeof ServiceSpecSchema>;

/** A change to a running service: `replicas` alone scales; anything else is a rolling update. */
export const ServicePatchSchema = z
  .strictObject({
    replicas: replicas.optional(),
    image: ImageRefSchema.optional(),
    command: CommandSchema.optional(),
    env: EnvSchema.optional(),
    reservations: ResourcesSchema.optional(),
    limits: ResourcesSchema.optional(),
    placement: PlacementSchema.optional(),
    max_replicas_per_node: maxReplicasPerNode.optional(),
    update: UpdatePolicySchema.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { error: 'must name at least one field to change' })
  .meta({ minProperties: 1 });
export type ServicePatch = z.output<typeof ServicePatchSchema>;

export const JobSpecSchema = z.strictObject({
  name: ServiceNameSchema,
  image: ImageRefSchema,
  command: CommandSchema.optional(),
  env: EnvSchema.optional(),
  /** Runs that must succeed for the job to be complete. */
  completions: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(MAX_REPLICAS, { error: `must be at most ${MAX_REPLICAS}` }).default(1),
  /** Runs at once. */
  concurrency: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(MAX_REPLICAS, { error: `must be at most ${MAX_REPLICAS}` }).default(1),
  reservations: ResourcesSchema.optional(),
  limits: ResourcesSchema.optional(),
  placement: PlacementSchema.optional(),
});
export type JobSpec = z.output<typeof JobSpecSchema>;
export type JobSpecInput = z.input<typeof JobSpecSchema>;

export const WorkloadTaskSchema = z.object({
  id: z.string(),
  slot: z.int().nullable(),
  /** Our node, when the Swarm node is matched to one. */
  node_id: z.string().nullable(),
  swarm_node: z.string().nullable(),
  /** Swarm's task state: pending, assigned, preparing, starting, running, complete, failed, rejected, shutdown… */
  state: z.string(),
  desired_state: z.string(),
  /** Swarm's reason, e.g. "no suitable node (insufficient resources on 3 nodes)" or "No such image: …". */
  error: z.string().nullable(),
  message: z.string().nullable(),
  exit_code: z.int().nullable(),
  image: z.string(),
  updated_at: z.string(),
});
export type WorkloadTask = z.infer<typeof WorkloadTaskSchema>;

/** Swarm's update states, named as a person reads them. */
export const UPDATE_STATES = ['updating', 'paused', 'updated', 'rolling_back', 'rollback_paused', 'rolled_back'] as const;
export const ServiceUpdateStatusSchema = z.object({
  state: z.enum(UPDATE_STATES),
  /** Swarm's reason, e.g. "update rolled back due to failure or early termination of task …". */
  message: z.string().nullable(),
  /** Why it rolled back or paused: the newest failed task of the update, e.g. "task: non-zero exit (1) on w1". */
  cause: z.string().nullable(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
});

/** A reason a node takes no (more) tasks, or a warning of ours Swarm does not know: a code, a sentence, and the values it names. */
export const PlanNoteSchema = z.object({
  code: z.string().describe('insufficient_cpu, insufficient_memory, placement, unavailable, max_replicas_per_node; warnings: down_by_probes, maintenance; conflicts: name_taken, port_taken'),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type PlanNote = z.infer<typeof PlanNoteSchema>;

export const PlanNodeSchema = z.object({
  /** Our node's id, or the Swarm hostname of a swarm node not in our registry (Swarm places there too). */
  id: z.string(),
  node_id: z.string().nullable(),
  swarm_node: z.string().nullable(),
  /** Tasks Swarm would place here now. */
  fits: z.int(),
  /** Tasks of this spec the node could hold in all; null when nothing limits it. */
  room: z.int().nullable(),
  /** After the reservations of the tasks Swarm has on it (Swarm's own figures, not our metrics). */
  free: z.object({ cpus: z.number(), memory_mb: z.int() }),
  reasons: z.array(PlanNoteSchema),
  /** What we know and Swarm may not (down by our probes, in maintenance): Swarm may still place here. */
  warnings: z.array(PlanNoteSchema),
});
export type PlanNode = z.infer<typeof PlanNodeSchema>;

/** Where a spec's tasks would go now, and why the rest cannot: Swarm's scheduler predicted, nothing changed. */
export const ServicePlanSchema = z.object({
  name: z.string(),
  mode: z.enum(['replicated', 'global', 'job']),
  /** Replicas (a job's runs at once), or the eligible nodes of a global service. */
  wanted: z.int(),
  /** How many Swarm places now. */
  fits: z.int(),
  summary: z.string(),
  /** When not all fit: smaller reservations with which they would. */
  suggestion: z.object({ cpus: z.number().nullable(), memory_mb: z.int().nullable(), fits: z.int(), text: z.string() }).nullable(),
  /** What a deploy of this spec would be refused for (a name or a published port taken). */
  conflicts: z.array(PlanNoteSchema),
  manager_node_id: z.string(),
  nodes: z.array(PlanNodeSchema),
});
export type ServicePlan = z.infer<typeof ServicePlanSchema>;

export const ServiceViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  /** standalone: one container on a node outside any swarm (Engine API's `docker run`). */
  mode: z.enum(['replicated', 'global', 'job', 'standalone']),
  desired: z.int(),
  running: z.int(),
  /** Tasks Swarm could not place yet, with the reason in `pending_reason`. */
  pending: z.int(),
  /** Why tasks are pending: Swarm's words, and per node what keeps each from taking one (the plan's reasons for this spec, now). */
  pending_reason: z
    .object({
      /** e.g. "no suitable node (insufficient resources on 3 nodes)". */
      swarm: z.string().nullable(),
      summary: z.string(),
      nodes: z.array(PlanNodeSchema),
    })
    .nullable(),
  update: ServiceUpdateStatusSchema.nullable(),
  command: z.array(z.string()).nullable(),
  env: z.record(z.string(), z.string()),
  reservations: ResourcesSchema,
  limits: ResourcesSchema,
  placement: PlacementSchema,
  max_replicas_per_node: z.int().nullable(),
  /** The raw Swarm constraints, ours and any set outside this app. */
  constraints: z.array(z.string()),
  ports: z.array(z.object({ published: z.int(), target: z.int(), protocol: z.string() })),
  created_at: z.string(),
  updated_at: z.string(),
  /** Current tasks (and, for jobs, every run Swarm still keeps). */
  tasks: z.array(WorkloadTaskSchema),
});
export type ServiceView = z.infer<typeof ServiceViewSchema>;

/** What tasks reserve on a node against its capacity (Swarm's node description, else live metrics, else the declared size). */
export const NodeAllocationSchema = z.object({
  node_id: z.string(),
  /** swarm: a Swarm node; docker: a Docker node outside the swarm (standalone containers). */
  source: z.enum(['swarm', 'docker']),
  capacity_from: z.enum(['swarm', 'metrics', 'declared']),
  capacity: z.object({ cpus: z.number(), memory_mb: z.int() }),
  reserved: z.object({ cpus: z.number(), memory_mb: z.int() }),
  free: z.object({ cpus: z.number(), memory_mb: z.int() }),
  /** Running tasks or containers. */
  running: z.int(),
});
export type NodeAllocation = z.infer<typeof NodeAllocationSchema>;

export const ServiceListSchema = z.object({
  /** Our node whose daemon answered as a manager; null without a swarm (standalone containers only). */
  manager_node_id: z.string().nullable(),
  services: z.array(ServiceViewSchema),
  count: z.int(),
  /** Per node: CPU and memory reserved against capacity. */
  allocation: z.array(NodeAllocationSchema),
});
export type ServiceList = z.infer<typeof ServiceListSchema>;

export const ServiceRemovedSchema = z.object({ removed: z.string(), mode: ServiceViewSchema.shape.mode });

export const WorkloadLogsQuerySchema = z.strictObject({
  tail: z.coerce.number({ error: 'must be a number of lines' }).int({ error: 'must be a whole number of lines' }).min(1, { error: 'must be at least 1' }).max(10_000, { error: 'must be at most 10000' }).default(100),
});
export const WorkloadLogsSchema = z.object({
  name: z.string(),
  lines: z.array(z.object({ stream: z.enum(['stdout', 'stderr']), text: z.string(), task_id: z.string().nullable(), node_id: z.string().nullable() })),
  truncated: z.boolean(),
});
export type WorkloadLogs = z.infer<typeof WorkloadLogsSchema>;

export const JobRunSchema = WorkloadTaskSchema.extend({
  /** The run's last log lines, readable after the job has ended. */
  logs: z.array(z.object({ stream: z.enum(['stdout', 'stderr']), text: z.string() })),
});
export const JobViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  completions: z.int(),
  concurrency: z.int(),
  succeeded: z.int(),
  failed: z.int(),
  running: z.int(),
  /** complete: every completion succeeded. Swarm retries a failed run until it succeeds (remove the job to stop it). */
  state: z.enum(['running', 'complete']),
  created_at: z.string(),
  runs: z.array(JobRunSchema),
});
export type JobView = z.infer<typeof JobViewSchema>;
