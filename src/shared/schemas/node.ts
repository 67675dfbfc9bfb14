import { z } from 'zod';
import { ProbeSchema } from './probe';
import { NodeDockerSchema } from './containers';

// Field names follow the seed service: they are also the file and wire format.
/** Error text for a field: "is required" when absent, else `message`. */
export const requiredOr =
  (message: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : message;

export const NODE_ROLES = ['master', 'worker', 'storage'] as const;
export const NodeRoleSchema = z.enum(NODE_ROLES, { error: requiredOr('must be one of master, worker, storage') });
export type NodeRole = z.infer<typeof NodeRoleSchema>;

export const NodeIdSchema = z
  .string({ error: requiredOr('must be a string') })
  .min(1, { error: 'must not be empty' })
  .max(63, { error: 'must be at most 63 characters' })
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be a slug: lowercase letters, digits and "-", not starting with "-"' });

export const TagSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[A-Za-z0-9_.:/-]+$/, { error: 'may contain only letters, digits and _ . : / -' });

export const TagsSchema = z
  .array(TagSchema)
  .max(64, { error: 'at most 64 tags' })
  .refine((tags) => new Set(tags).size === tags.length, { error: 'tags must be unique' })
  .meta({ uniqueItems: true });

export const IpAddressSchema = z.union([z.ipv4(), z.ipv6()], { error: requiredOr('must be an IPv4 or IPv6 address') });

/**
 * A DNS name such as a MagicDNS name (`box` or `box.tail1234.ts.net`), resolved when probed. Its last
 * label is not all digits, so "300.1.2.3" is a bad IPv4 address rather than a name.
 */
export const DnsNameSchema = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}\.?$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*(?=[A-Za-z0-9-]*[A-Za-z-])[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/);

/** Where a node is reached: a Tailscale IP, or a MagicDNS name resolved at probe time. */
export const NodeAddressSchema = z.union([z.ipv4(), z.ipv6(), DnsNameSchema], {
  error: (issue) =>
    issue.input === undefined
      ? 'is required'
      : typeof issue.input === 'string' && /^[\d.:]*$|:/.test(issue.input)
        ? 'must be an IPv4 or IPv6 address'
        : 'must be an IPv4 or IPv6 address, or a DNS name such as a MagicDNS name',
});

export const NodeSshSchema = z.strictObject({
  user: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/, { error: 'must be a valid user name' }).optional(),
  port: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be a port between 1 and 65535' }).max(65535, { error: 'must be a port between 1 and 65535' }).optional(),
  key_path: z.string().min(1).max(4096).optional(),
});
export type NodeSsh = z.infer<typeof NodeSshSchema>;

const nodeFields = {
  id: NodeIdSchema,
  hostname: z
    .string({ error: requiredOr('must be a string') })
    .min(1, { error: 'must not be empty' })
    .max(253, { error: 'must be at most 253 characters' })
    // Spaces, separators and every "other" character (controls, bidi marks, zero-width, unassigned).
    .regex(/^[^\s\p{Z}\p{C}]+$/u, { error: 'must not contain spaces, control, bidi or zero-width characters' })
    // Unicode classes need the u flag, which a document's pattern cannot carry (read without it, \p{Z}
    // means "p", "{", "Z", "}"): the document states the rule in words and the service enforces it.
    .meta({ pattern: undefined, description: 'No spaces, separators or other Unicode "other" characters (controls, bidi marks, zero-width, unassigned)' }),
  /** The Tailscale IP, or a MagicDNS name (resolved when probed). No two nodes share one with the same SSH port. */
  tailscale_ip: NodeAddressSchema,
  role: NodeRoleSchema,
  description: z
    .string()
    .max(1000, { error: 'must be at most 1000 characters' })
    // Free text, but no terminal escapes, NUL or bidi overrides: it is shown in terminals and UIs.
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/, { error: 'must not contain control characters (other than tab and newline) or bidi overrides' })
    .default(''),
  /** Optional: filled in from SSH metrics when the node has none. */
  cpu_cores: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(100_000).optional(),
  memory_gb: z.number({ error: 'must be a number' }).positive({ error: 'must be greater than 0' }).max(1_000_000).optional(),
  tags: TagsSchema.default([]),
  probes: z.array(ProbeSchema).max(8, { error: 'at most 8 probes' }).default([]),
  ssh: NodeSshSchema.optional(),
  maintenance: z.boolean().default(false),
  /** Notifications for this node are muted until this instant. */
  muted_until: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Kept from Tailscale discovery. */
  os: z.string().max(64).optional(),
  dns_name: z.string().max(253).optional(),
  /** Tailscale's own view at the last import: online, and when it last saw the machine. */
  tailscale_online: z.boolean().optional(),
  tailscale_last_seen: z.iso.datetime({ offset: true }).optional(),
  /** Containers and Swarm through this node's Docker Engine (opt-in). */
  docker: NodeDockerSchema.optional(),
};

/** A node as stored and returned. */
export const NodeSchema = z.strictObject(nodeFields);
export type Node = z.infer<typeof NodeSchema>;
/** What a client sends to create a node (defaults fill the rest). */
export type NodeInput = z.input<typeof NodeSchema>;

/** A partial update: any field but `id`. */
export const NodePatchSchema = z.strictObject(nodeFields).omit({ id: true }).partial().extend({
  // Defaults must not apply to a patch, or a patch would reset fields it did not name.
  description: nodeFields.description.removeDefault().optional(),
  tags: TagsSchema.optional(),
  probes: z.array(ProbeSchema).max(8, { error: 'at most 8 probes' }).optional(),
  maintenance: z.boolean().optional(),
});
export type NodePatch = z.infer<typeof NodePatchSchema>;

/** What an operator may change on a node: silence its alerts for a few hours (0 unmutes), or maintenance. */
export const MUTE_HOURS = [0, 1, 4, 8] as const;
export const NodeMuteSchema = z.strictObject({
  hours: z.union(MUTE_HOURS.map((h) => z.literal(h)), { error: `must be one of ${MUTE_HOURS.join(', ')} (0 unmutes)` }),
});
export const NodeMaintenanceSchema = z.strictObject({ maintenance: z.boolean({ error: 'must be true or false' }) });

export const HEALTH_STATES = ['unknown', 'healthy', 'degraded', 'unhealthy', 'maintenance'] as const;
export const HealthStateSchema = z.enum(HEALTH_STATES, { error: `must be one of ${HEALTH_STATES.join(', ')}` });
export type HealthState = z.infer<typeof HealthStateSchema>;

export const NodeFilterSchema = z.strictObject({
  role: NodeRoleSchema.optional(),
  tag: TagSchema.optional(),
  status: HealthStateSchema.optional(),
  q: z
    .string()
    .max(200)
    .describe('Words that must all match an id, hostname, description, tag or address; an address is matched whole or by its leading parts (127.0.1. finds the block, 127.0.1.1 not 127.0.1.10).')
    .optional(),
});
export type NodeFilter = z.infer<typeof NodeFilterSchema>;
