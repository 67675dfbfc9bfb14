import { z } from 'zod';
import { NodeWithHealthSchema } from './health';
import { FieldErrorSchema } from './seed-format';

// Request and response shapes shared by REST, the web bridge and MCP.
// Sent as text in the query, documented as what it means: a boolean.
const queryBool = z.stringbool({ error: 'must be true or false' }).meta({ type: 'boolean' });

/** The one error shape of every face; OpenAPI refers to it as components/schemas/Error. */
export const ErrorResponseSchema = z
  .object({ error: z.string().describe('Error code, e.g. validation_error'), message: z.string(), details: z.array(FieldErrorSchema).describe('Each field at fault and why') })
  .meta({ id: 'Error' });
export const ServiceInfoSchema = z.object({ name: z.string(), version: z.string(), docs: z.string() });
/** Longest path parameter the router and the schemas accept, so both refuse the same ids the same way. */
export const MAX_PATH_PARAM_LENGTH = 200;
export const NodeIdParamsSchema = z.object({ id: z.string().max(MAX_PATH_PARAM_LENGTH) });
export const StatusQuerySchema = z.strictObject({ include_nodes: queryBool.default(false) });
export const ImportQuerySchema = z.strictObject({ dry_run: queryBool.default(false), skip_invalid: queryBool.default(false) });
export const NodeListSchema = z.object({ nodes: z.array(NodeWithHealthSchema), count: z.int() });
export type NodeList = z.infer<typeof NodeListSchema>;
export const EventsQuerySchema = z.strictObject({
  node: z.string().max(200).optional(),
  after_seq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
});
export const HistoryQuerySchema = z.strictObject({ range: z.enum(['1h', '24h']).default('1h') });
export const PauseRequestSchema = z.strictObject({ duration_s: z.number().positive().max(7 * 24 * 3600).optional() });

export const TailscaleImportQuerySchema = z.strictObject({
  dry_run: queryBool.default(false),
  include_self: queryBool.default(false),
  include_non_linux: queryBool.default(false),
  include_expired: queryBool.default(false),
  default_role: z.enum(['master', 'worker', 'storage']).default('worker'),
});
