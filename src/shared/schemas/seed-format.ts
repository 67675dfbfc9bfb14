import { z } from 'zod';
import { NodeSchema } from './node';

// The seed service's data/nodes.json: {"nodes": {"<id>": {...node}}}. Nodes are checked one by one
// by the importer so that a report can name each bad node; here only the envelope is checked.
/** How a node looks in the document, for OpenAPI only: the importer checks each node itself. */
const { $schema: _dialect, ...documentedNode } = z.toJSONSchema(NodeSchema, { io: 'input', target: 'openapi-3.0' });

export const SeedDocumentSchema = z.object(
  {
    nodes: z.record(
      z.string().max(200),
      z.unknown().meta({
        type: 'object',
        properties: documentedNode.properties,
        description:
          'A node as in POST /cluster/nodes; `id` defaults to its key. Each node is checked on its own: an unknown field, a missing hostname, tailscale_ip or role, or a bad value makes that node invalid, reported in `invalid` by id, field and reason; the request itself still answers 200 (with skip_invalid the valid nodes are applied).',
      }),
      { error: 'must be an object keyed by node id' },
    ),
  },
  { error: 'must be an object with a "nodes" map' },
);
export type SeedDocument = { nodes: Record<string, z.infer<typeof NodeSchema>> };

export const ImportOptionsSchema = z.strictObject({
  skip_invalid: z.boolean().default(false),
  dry_run: z.boolean().default(false),
});
export type ImportOptions = z.input<typeof ImportOptionsSchema>;

/** Where the fleet is defined: this registry, or (sync) a seed-format file it follows. */
export const NodesFileStatusSchema = z.object({
  file: z.string().nullable(),
  /** none: no NODES_FILE_PATH; import: read once into an empty registry; sync: the file is the source of truth. */
  mode: z.enum(['none', 'import', 'sync']),
  /** When the file was last applied (sync). */
  applied_at: z.string().nullable(),
  /** Why the file's current version was not applied (sync); null when it was. */
  error: z.string().nullable(),
});
export type NodesFileStatus = z.infer<typeof NodesFileStatusSchema>;

export const FieldErrorSchema = z.object({
  field: z.string(),
  message: z.string(),
  /** Set when the message is the general one for its kind of problem: a client translates by it (`required`, `number_min`, …). */
  code: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const ImportReportSchema = z.object({
  applied: z.boolean(),
  added: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.array(z.string()),
  invalid: z.array(z.object({ id: z.string(), field: z.string(), reason: z.string() })),
  /** For each updated node, the fields that change. */
  changed_fields: z.record(z.string(), z.array(z.string())),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;
