import { z } from 'zod';
import { HealthStateSchema } from './node';
import { ServiceUrlSchema } from './settings';

// Monitors that watch one fleet from several places (issue 42): each names its peers, follows their web
// bridge, and hears each one's own view of every node (its vantage), never their combined verdicts.

/** A peer monitor: its service URL and a token of it (a viewer token is enough). */
export const MonitorPeerSchema = z.strictObject({
  url: ServiceUrlSchema,
  token: z.string({ error: 'must be a token' }).min(16, { error: 'must be at least 16 characters' }).max(512, { error: 'must be at most 512 characters' }),
});
export type MonitorPeer = z.infer<typeof MonitorPeerSchema>;
export const MonitorPeersSchema = z
  .array(MonitorPeerSchema)
  .max(16, { error: 'at most 16 peers' })
  .refine((peers) => new Set(peers.map((p) => p.url)).size === peers.length, { error: 'peers must have different URLs' });

/**
 * The peers as the settings change them (PUT /cluster/peers): a peer's token may be left out to keep
 * the one stored for its URL (tokens are never shown again once saved).
 */
export const PeersUpdateSchema = z.strictObject({
  peers: z
    .array(z.strictObject({ url: MonitorPeerSchema.shape.url, token: MonitorPeerSchema.shape.token.optional() }))
    .max(16, { error: 'at most 16 peers' })
    .refine((peers) => new Set(peers.map((p) => p.url)).size === peers.length, { error: 'peers must have different URLs' }),
});
export type PeersUpdate = z.infer<typeof PeersUpdateSchema>;

/** One monitor's own view of one node: its checks alone, as it votes (and as health.vantage lists it). */
export const NodeViewSchema = z.object({
  status: HealthStateSchema,
  checked_at: z.string().max(64).nullable(),
  error: z.string().max(2000).nullable(),
  /** What `error` says as a reason code and its target, for a window in another language. */
  error_code: z.string().max(64).optional(),
  error_params: z.record(z.string().max(64), z.union([z.string().max(2000), z.number()])).optional(),
});
export type NodeView = z.infer<typeof NodeViewSchema>;

/** One monitor's own view of each node after a sweep (its checks alone), as its peers hear it. */
export const VantageSchema = z.object({
  /** The monitor's INSTANCE: unique among peers. */
  monitor: z.string().max(100),
  at: z.string().max(64),
  /** Its check interval: a vote older than two of them does not count. */
  interval_s: z.number().positive(),
  /** Its self-outage guard fired: it cannot tell, and does not vote. */
  offline: z.boolean(),
  nodes: z
    .array(
NodeViewSchema.extend({ id: z.string().max(200) }))
    .max(20_000),
});
export type Vantage = z.infer<typeof VantageSchema>;

/**
 * What one monitor recently sent to people (issue 42, item 4): each alert by its key (`node_down:web-1`,
 * `service_pending:api`) and when. Its peers, waiting their turn, send only what nobody has.
 */
export const SentLogSchema = z.object({
  monitor: z.string().max(100),
  entries: z.array(z.object({ key: z.string().max(300), at: z.string().max(64) })).max(500),
});
export type SentLog = z.infer<typeof SentLogSchema>;

export const PEER_LINK_STATES = ['connecting', 'open', 'closed', 'unauthorized', 'refused'] as const;

/** What GET /cluster/peers answers: this monitor, and each peer's link and last vote. */
export const PeersViewSchema = z.object({
  instance: z.string(),
  /** Where the list comes from: MONITOR_PEERS (environment, flag, .env file: not editable here), the saved settings, or none. */
  source: z.enum(['environment', 'flag', '.env file', 'saved', 'default']),
  peers: z.array(
    z.object({
      /** Without its token; user info and query values never shown. */
      url: z.string(),
      /** The INSTANCE it named itself in its last vote; null before one came. */
      instance: z.string().nullable(),
      link: z.enum(PEER_LINK_STATES),
      /** Since when the link is in that state. */
      since: z.string(),
      last_vote_at: z.string().nullable(),
      /** Nodes in its last vote. */
      nodes: z.int(),
      /** Why the link is not open, or why its votes are refused (the same INSTANCE as ours). */
      error: z.string().nullable(),
    }),
  ),
  /**
   * Nodes whose state the voting monitors would decide otherwise than this monitor sees it (the quorum
   * rule, core/peers/quorum.ts), each with every vote. Shown only: this monitor still acts on its own view.
   */
  disagreements: z.array(
    z.object({
      id: z.string(),
      own: HealthStateSchema,
      quorum: HealthStateSchema,
      needed: z.int(),
      votes: z.array(z.object({ monitor: z.string(), status: HealthStateSchema })),
    }),
  ),
});
export type PeersView = z.infer<typeof PeersViewSchema>;
