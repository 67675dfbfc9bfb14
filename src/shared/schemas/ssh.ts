import { z } from 'zod';
import { NodeIdSchema, NodeRoleSchema, TagSchema } from './node';

export const HostKeyPinSchema = z.object({
  node_id: z.string(),
  /** SHA256 fingerprints as OpenSSH prints them (SHA256:base64, no padding). */
  fingerprints: z.array(z.string()),
  /** How the pin came about: first use, Tailscale's announced keys, or a person's approval. */
  source: z.enum(['tofu', 'tailscale', 'approved']),
  pinned_at: z.string(),
});
export type HostKeyPin = z.infer<typeof HostKeyPinSchema>;

export const HostKeyApprovalSchema = z.strictObject({
  fingerprints: z.array(z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, { error: 'must be an OpenSSH SHA256 fingerprint (SHA256:…43 characters)' })).min(1).max(8),
});

const EXACTLY_ONE = 'Exactly one of node_ids, role or tag chooses the nodes.';
const selector = {
  node_ids: z.array(NodeIdSchema).min(1, { error: 'name at least one node' }).max(10_000).optional().describe(`These nodes. ${EXACTLY_ONE}`),
  role: NodeRoleSchema.optional().describe(`Every node with this role. ${EXACTLY_ONE}`),
  tag: TagSchema.optional().describe(`Every node with this tag. ${EXACTLY_ONE}`),
};

/** A command for many nodes, chosen by ids, or by role or tag. */
export const CommandRequestSchema = z
  .strictObject({
    ...selector,
    command: z.string({ error: 'is required' }).min(1, { error: 'must not be empty' }).max(16_384, { error: 'must be at most 16384 characters' }),
    timeout: z.number({ error: 'must be a number of seconds' }).positive({ error: 'must be greater than 0' }).max(3600).default(30),
    /** Chosen by the caller so that streamed output can be matched before the answer arrives. */
    run_id: z.string().min(1).max(64).optional(),
  })
  .refine((r) => [r.node_ids, r.role, r.tag].filter((v) => v !== undefined).length === 1, {
    error: 'give exactly one of node_ids, role or tag',
    path: ['node_ids'],
  })
  // The refinement is invisible to JSON Schema, so the rule is stated in words (what MCP's run_command shows)…
  .describe(EXACTLY_ONE);
export type CommandRequest = z.infer<typeof CommandRequestSchema>;
/**
 * …and, for OpenAPI, as a `oneOf` too. Not for MCP: Anthropic's API (so Claude Desktop and Claude
 * Code) refuses a tool input schema with oneOf/anyOf/allOf at its top level.
 */
export const CommandRequestDocumentedSchema = CommandRequestSchema.meta({ oneOf: [{ required: ['node_ids'] }, { required: ['role'] }, { required: ['tag'] }] });

export const CommandResultSchema = z.object({
  node_id: z.string(),
  exit_code: z.int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  duration_ms: z.number(),
  error: z.string().nullable(),
});
export type CommandResult = z.infer<typeof CommandResultSchema>;
export const CommandResponseSchema = z.object({ run_id: z.string(), results: z.array(CommandResultSchema) });
export type CommandResponse = z.infer<typeof CommandResponseSchema>;

/** Streamed while a command runs: a chunk of output, or a node finishing (with progress). */
export type CommandStreamEvent =
  | { run_id: string; type: 'output'; node_id: string; stream: 'stdout' | 'stderr'; chunk: string }
  | { run_id: string; type: 'done'; node_id: string; result: CommandResult; done: number; total: number };

export const NodeMetricsSchema = z.object({
  load_1: z.number(),
  load_5: z.number(),
  load_15: z.number(),
  cpu_count: z.int(),
  mem_total_mb: z.number(),
  mem_available_mb: z.number(),
  disk_total_gb: z.number(),
  disk_used_pct: z.number(),
  uptime_s: z.number(),
  collected_at: z.string(),
});
export type NodeMetrics = z.infer<typeof NodeMetricsSchema>;

export const PlacementRequestSchema = z.strictObject({
  cpu_cores: z.number().positive({ error: 'must be greater than 0' }).max(100_000).default(1),
  memory_gb: z.number().positive({ error: 'must be greater than 0' }).max(1_000_000).default(1),
  role: NodeRoleSchema.optional(),
  tags: z.array(TagSchema).max(64).default([]),
  limit: z.int().min(1).max(1000).default(5),
});
export type PlacementRequest = z.infer<typeof PlacementRequestSchema>;

export const PlacementCandidateSchema = z.object({
  node_id: z.string(),
  score: z.number(),
  free_cpu_cores: z.number(),
  free_memory_gb: z.number(),
  source: z.enum(['live_metrics', 'declared']),
  /** Containers running there, when its Docker (or Swarm) answered; reservations are already taken off the free figures. */
  running_containers: z.int().nullable(),
});
export const PlacementResponseSchema = z.object({
  candidates: z.array(PlacementCandidateSchema),
  rejected: z.array(z.object({ node_id: z.string(), reason: z.string() })),
});
export type PlacementResponse = z.infer<typeof PlacementResponseSchema>;

export const AuditEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  nodes: z.array(z.string()),
  detail: z.string(),
  outcome: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
