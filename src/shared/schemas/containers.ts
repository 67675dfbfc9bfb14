import { z } from 'zod';

/**
 * A node's Docker: opt-in per node. The Engine API is reached over the node's own SSH connection
 * (`docker system dial-stdio`, as `docker -H ssh://` does), or through a local socket for the
 * machine the service runs on.
 */
export const NodeDockerSchema = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }),
  /** The daemon's address on the node, e.g. unix:///run/user/1000/docker.sock; the node's default otherwise. */
  host: z
    .string()
    .max(256, { error: 'must be at most 256 characters' })
    // eslint-disable-next-line no-useless-escape -- escaped for other engines (Rust, PCRE read a bare [ in a class as a nested class)
    .regex(/^(unix:\/\/\/[A-Za-z0-9_./-]+|tcp:\/\/[A-Za-z0-9_.:\[\]-]+)$/, { error: 'must be unix:///path/to/docker.sock or tcp://host:port' })
    .optional(),
  /** 'local': this machine's own daemon through `host` (default unix:///var/run/docker.sock), without SSH. */
  via: z.enum(['ssh', 'local'], { error: 'must be ssh or local' }).default('ssh'),
  /** The Swarm node (hostname or ID) this node is; matched by hostname or address otherwise. */
  swarm_node: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/, { error: 'must be a Swarm node hostname or ID' }).optional(),
});
export type NodeDocker = z.infer<typeof NodeDockerSchema>;

export const ContainerIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(128, { error: 'must be at most 128 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'must be a container ID or name' });

export const ContainerPortSchema = z.object({ private: z.int(), public: z.int().nullable(), type: z.string(), ip: z.string().nullable() });

export const ContainerSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  /** created, running, paused, restarting, removing, exited or dead */
  state: z.string(),
  /** Docker's own summary, e.g. "Up 5 minutes (healthy)". */
  status: z.string(),
  /** From the image's HEALTHCHECK: healthy, unhealthy, starting, or null without one. */
  health: z.string().nullable(),
  ports: z.array(ContainerPortSchema),
  created_at: z.string(),
  /** Set for a Swarm task's container. */
  service: z.string().nullable(),
});
export type Container = z.infer<typeof ContainerSchema>;

export const ContainerListSchema = z.object({ node_id: z.string(), containers: z.array(ContainerSchema), count: z.int() });
export type ContainerList = z.infer<typeof ContainerListSchema>;

export const ContainerStatsSchema = z.object({
  id: z.string(),
  name: z.string(),
  read_at: z.string(),
  /** Share of one CPU, as `docker stats` shows it (200 = two full CPUs). */
  cpu_percent: z.number(),
  memory_bytes: z.number(),
  memory_limit_bytes: z.number(),
  memory_percent: z.number(),
});
export type ContainerStats = z.infer<typeof ContainerStatsSchema>;

export const CONTAINER_ACTIONS = ['start', 'stop', 'restart'] as const;
export const ContainerActionSchema = z.enum(CONTAINER_ACTIONS, { error: `must be one of ${CONTAINER_ACTIONS.join(', ')}` });
export type ContainerAction = z.infer<typeof ContainerActionSchema>;
export const ContainerActionResultSchema = z.object({ node_id: z.string(), id: z.string(), action: ContainerActionSchema, state: z.string() });
export type ContainerActionResult = z.infer<typeof ContainerActionResultSchema>;

const logTail = z.int({ error: 'must be a whole number of lines' }).min(1, { error: 'must be at least 1' }).max(10_000, { error: 'must be at most 10000' });
export const ContainerLogsOptionsSchema = z.strictObject({ tail: logTail.default(100), timestamps: z.boolean({ error: 'must be true or false' }).default(false) });
/** The same options in a query string; `follow` streams new lines as NDJSON until the client hangs up. */
const queryBool = z.stringbool({ error: 'must be true or false' }).meta({ type: 'boolean' });
export const ContainerLogsQuerySchema = z.strictObject({
  // Coerced from the query string, then the same whole-number bounds, which the document shows.
  tail: z.coerce.number({ error: 'must be a number of lines' }).int({ error: 'must be a whole number of lines' }).min(1, { error: 'must be at least 1' }).max(10_000, { error: 'must be at most 10000' }).default(100),
  timestamps: queryBool.default(false),
  follow: queryBool.default(false),
});
export const ContainerLogsSchema = z.object({
  node_id: z.string(),
  id: z.string(),
  lines: z.array(z.object({ stream: z.enum(['stdout', 'stderr']), text: z.string() })),
  /** Cut at the size limit: the newest lines were kept. */
  truncated: z.boolean(),
});
export type ContainerLogs = z.infer<typeof ContainerLogsSchema>;

export const SwarmAvailabilitySchema = z.enum(['active', 'pause', 'drain']);
export type SwarmAvailability = z.infer<typeof SwarmAvailabilitySchema>;

export const SwarmNodeSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  addr: z.string().nullable(),
  role: z.enum(['manager', 'worker']),
  /** ready, down, unknown, disconnected */
  state: z.string(),
  availability: SwarmAvailabilitySchema,
  leader: z.boolean(),
  /** Our node this Swarm node is, when matched (docker.swarm_node, hostname or address). */
  node_id: z.string().nullable(),
  /** Tasks Swarm wants running on this node now. */
  running_tasks: z.int(),
});
export type SwarmNode = z.infer<typeof SwarmNodeSchema>;

export const SwarmServiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  mode: z.enum(['replicated', 'global']),
  desired: z.int(),
  running: z.int(),
  /** Our node ids (or Swarm hostnames when unmatched) running its tasks. */
  nodes: z.array(z.string()),
});
export type SwarmService = z.infer<typeof SwarmServiceSchema>;

export const SwarmTaskSchema = z.object({
  id: z.string(),
  service: z.string(),
  slot: z.int().nullable(),
  swarm_node: z.string(),
  node_id: z.string().nullable(),
  state: z.string(),
  desired_state: z.string(),
  error: z.string().nullable(),
  updated_at: z.string(),
});
export type SwarmTask = z.infer<typeof SwarmTaskSchema>;

export const SwarmViewSchema = z.object({
  /** Our node whose daemon answered as a manager. */
  manager_node_id: z.string(),
  nodes: z.array(SwarmNodeSchema),
  services: z.array(SwarmServiceSchema),
  tasks: z.array(SwarmTaskSchema),
});
export type SwarmView = z.infer<typeof SwarmViewSchema>;

export const SwarmAvailabilityResultSchema = z.object({ node_id: z.string(), swarm_node: z.string(), availability: SwarmAvailabilitySchema, changed: z.boolean() });
export type SwarmAvailabilityResult = z.infer<typeof SwarmAvailabilityResultSchema>;

/** The failover policy: drain in Swarm what our monitor settles as unhealthy, and undo it on recovery. */
export const FailoverSettingsSchema = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).default(false),
  /** At most this many Swarm nodes drained by us at once… */
  max_drained_nodes: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(1000).default(1),
  /** …or this share of the swarm, whichever allows more. */
  max_drained_share: z.number({ error: 'must be a number between 0 and 1' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).default(0.3),
  /** Maintenance in our registry drains the node as well. */
  drain_maintenance: z.boolean({ error: 'must be true or false' }).default(true),
});
export type FailoverSettings = z.infer<typeof FailoverSettingsSchema>;
export const FailoverSettingsPatchSchema = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  max_drained_nodes: FailoverSettingsSchema.shape.max_drained_nodes.removeDefault().optional(),
  max_drained_share: FailoverSettingsSchema.shape.max_drained_share.removeDefault().optional(),
  drain_maintenance: z.boolean({ error: 'must be true or false' }).optional(),
});

export const FailoverStateSchema = FailoverSettingsSchema.extend({
  /** Nodes drained by the policy (only these are set back to active on recovery). */
  drained_by_us: z.array(z.string()),
  last_action: z.object({ at: z.string(), node_id: z.string(), action: z.string(), outcome: z.string() }).nullable(),
});
export type FailoverState = z.infer<typeof FailoverStateSchema>;
