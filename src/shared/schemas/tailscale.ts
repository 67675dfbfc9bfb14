import { z } from 'zod';
import { NodeRoleSchema } from './node';

// `tailscale status --json`, as defined by tailscale's ipn/ipnstate (PeerStatus). Only the fields we
// use are checked; everything else is allowed through untouched.
export const TailscalePeerSchema = z.looseObject({
  ID: z.string().optional(),
  PublicKey: z.string().optional(),
  HostName: z.string({ error: 'is required (string)' }).min(1).max(253),
  DNSName: z.string().max(253).default(''),
  OS: z.string().max(64).default(''),
  TailscaleIPs: z.array(z.string()).nullable().default([]),
  Tags: z.array(z.string()).nullable().optional(),
  Online: z.boolean().default(false),
  LastSeen: z.string().optional(),
  Expired: z.boolean().optional(),
  KeyExpiry: z.string().optional(),
  sshHostKeys: z.array(z.string()).nullable().optional(),
});
export type TailscalePeer = z.infer<typeof TailscalePeerSchema>;

export const TailscaleStatusSchema = z.looseObject(
  {
    BackendState: z.string().optional(),
    Self: TailscalePeerSchema.optional(),
    Peer: z.record(z.string(), TailscalePeerSchema, { error: 'must be an object keyed by node key' }).nullable().default({}),
  },
  { error: 'must be the JSON object printed by `tailscale status --json`' },
);
export type TailscaleStatus = z.infer<typeof TailscaleStatusSchema>;

export const TailscaleImportOptionsSchema = z.strictObject({
  dry_run: z.boolean().default(false),
  include_self: z.boolean().default(false),
  include_non_linux: z.boolean().default(false),
  include_expired: z.boolean().default(false),
  default_role: NodeRoleSchema.default('worker'),
  /** Tailscale does not know a machine's size: new nodes get these if given, else none until SSH metrics fill them in. */
  default_cpu_cores: z.int().min(1).optional(),
  default_memory_gb: z.number().positive().optional(),
});
export type TailscaleImportOptions = z.input<typeof TailscaleImportOptionsSchema>;

/** What the preview shows of a machine: its role, tags and whether Tailscale sees it online. */
const peerFacts = { role: NodeRoleSchema, tags: z.array(z.string()), online: z.boolean() };

export const TailscaleImportReportSchema = z.object({
  applied: z.boolean(),
  added: z.array(z.object({ id: z.string(), hostname: z.string(), tailscale_ip: z.string(), ...peerFacts })),
  updated: z.array(z.object({ id: z.string(), changes: z.array(z.string()), ...peerFacts })),
  unchanged: z.array(z.string()),
  skipped: z.array(z.object({ hostname: z.string(), reason: z.enum(['self', 'os', 'expired', 'no_ip']), detail: z.string() })),
});
export type TailscaleImportReport = z.infer<typeof TailscaleImportReportSchema>;

/** Tailscale's view of one node beside our own probes; they can disagree. */
export const TailscalePresenceSchema = z.object({
  node_id: z.string(),
  online: z.boolean(),
  last_seen: z.string().nullable(),
  probe_state: z.string(),
  disagreement: z.string().nullable(),
});
export type TailscalePresence = z.infer<typeof TailscalePresenceSchema>;
