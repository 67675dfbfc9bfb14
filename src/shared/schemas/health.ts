import { z } from 'zod';
import { HealthStateSchema, NodeRoleSchema, NodeSchema } from './node';
import { NodeViewSchema, PEER_LINK_STATES } from './peers';
import { ProbeResultSchema } from './probe';

/** One monitor's own view of a node in health.vantage (issue 42), and whether its vote counted. */
export const VantageViewSchema = NodeViewSchema.extend({
  monitor: z.string().max(100),
  /** False for a stale vote, an unknown view, or a monitor whose self-outage guard fired. */
  counted: z.boolean(),
});
export type VantageView = z.infer<typeof VantageViewSchema>;

/** Last check of one node, as REST returns it inside `health`. */
export const NodeHealthSchema = z.object({
  /** The state the monitors decide together (their quorum); alone, this monitor's own. */
  status: HealthStateSchema,
  latency_ms: z.number().nullable(),
  checked_at: z.string().nullable(),
  error: z.string().nullable(),
  /** What `error` says, as the failing probe's reason code and its target, for a window in another language. */
  error_code: z.string().max(64).optional(),
  error_params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** True while the status is the one saved before the last restart, until this run checks the node. */
  last_known: z.boolean().optional(),
  /** The last checks, oldest first: '1' passed, '0' failed (the heartbeat strip). */
  recent: z.string().max(60).optional(),
  /** Share of checks passed in the last 24 h (0–1); null before any check. */
  uptime_24h: z.number().min(0).max(1).nullable().optional(),
  /** With MONITOR_PEERS: each monitor's own view, this one's first. */
  vantage: z.array(VantageViewSchema).max(17).optional(),
  /** With MONITOR_PEERS: how many counted votes the state needed, and whether this monitor decided alone. */
  quorum: z.object({ needed: z.int(), voters: z.int(), alone: z.boolean() }).optional(),
});
export type NodeHealth = z.infer<typeof NodeHealthSchema>;

/** Answer of a live check of one node. */
export const NodeCheckSchema = z.object({
  node_id: z.string(),
  status: z.enum(['healthy', 'unhealthy']),
  latency_ms: z.number().nullable(),
  checked_at: z.string(),
  error: z.string().nullable(),
  probes: z.array(ProbeResultSchema),
  monitor_state: HealthStateSchema,
});
export type NodeCheck = z.infer<typeof NodeCheckSchema>;

export const CLUSTER_STATES = ['unknown', 'healthy', 'degraded', 'critical'] as const;
export const ClusterStateSchema = z.enum(CLUSTER_STATES);
export type ClusterState = z.infer<typeof ClusterStateSchema>;

const RoleCountsSchema = z.object({ total: z.int(), healthy: z.int(), unhealthy: z.int() });

/**
 * Share of checks passed (0–1) over 24 h, 7 d and 30 d; null where nothing was checked. Checks while
 * the monitor was offline or waking up, and time in maintenance, do not count.
 */
export const UptimeSchema = z.object({
  h24: z.number().min(0).max(1).nullable(),
  d7: z.number().min(0).max(1).nullable(),
  d30: z.number().min(0).max(1).nullable(),
  /** Seconds of each window that the figure covers: less than the window while it is not full yet (a node added 3 minutes ago: 180). */
  h24_span_s: z.number().min(0).optional(),
  d7_span_s: z.number().min(0).optional(),
  d30_span_s: z.number().min(0).optional(),
});
export type Uptime = z.infer<typeof UptimeSchema>;

export const NodeWithHealthSchema = NodeSchema.extend({ health: NodeHealthSchema, uptime: UptimeSchema.optional() });
export type NodeWithHealth = z.infer<typeof NodeWithHealthSchema>;

export const ClusterStatusSchema = z.object({
  state: ClusterStateSchema,
  total_nodes: z.int(),
  healthy_nodes: z.int(),
  degraded_nodes: z.int(),
  unhealthy_nodes: z.int(),
  unknown_nodes: z.int(),
  maintenance_nodes: z.int(),
  /** Percent of nodes not in maintenance that are healthy. */
  availability: z.number(),
  by_role: z.record(NodeRoleSchema, RoleCountsSchema),
  checked_at: z.string().nullable(),
  monitor: z.object({
    offline: z.boolean(),
    paused: z.boolean(),
    paused_until: z.string().nullable(),
    in_grace: z.boolean(),
  }),
  /** Ids of nodes that are unhealthy, for a tray line like "node-07, node-12 down". */
  down_node_ids: z.array(z.string()),
  /** Checks passed ÷ checks, over every node. */
  uptime: UptimeSchema.optional(),
  /**
   * With MONITOR_PEERS: this monitor's name, each peer's link (named by the INSTANCE it votes with), and
   * the nodes some counted monitor sees up while the decision is down, or down while it is up.
   */
  peers: z
    .object({
      instance: z.string().max(100),
      links: z.array(z.object({ url: z.string().max(2000), instance: z.string().max(100).nullable(), link: z.enum(PEER_LINK_STATES) })).max(16),
      dissent: z.array(z.object({ id: z.string().max(200), status: HealthStateSchema, monitors: z.array(z.string().max(100)).max(17) })).max(20_000),
    })
    .optional(),
  nodes: z.array(NodeWithHealthSchema).optional(),
});
export type ClusterStatus = z.infer<typeof ClusterStatusSchema>;

/** A state change of one node, or of the monitor itself (`node` is null then). */
export const HealthEventSchema = z.object({
  seq: z.int(),
  node: z.string().nullable(),
  kind: z.enum(['transition', 'monitor_offline', 'monitor_online', 'host_key_changed', 'store_recovered', 'internal_error', 'monitor_started', 'monitor_stopped', 'alert_failed', 'alert_channels_changed', 'peers_changed', 'failover', 'nodes_file', 'service_pending', 'service_placed', 'service_rolled_back']),
  /** The Swarm service a service_* event is about. */
  service: z.string().optional(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string(),
  /** What `reason` says, as a stable code a window in another language translates by (a probe's reason code, `first_check_passed`, …). */
  reason_code: z.string().max(64).optional(),
  reason_params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  at: z.string(),
});
export type HealthEvent = z.infer<typeof HealthEventSchema>;

/** One point of a node's latency history; `ok` false marks a failed check. */
export const HistoryPointSchema = z.object({ t: z.number(), latency_ms: z.number().nullable(), ok: z.boolean() });
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;
