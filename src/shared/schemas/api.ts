import { z } from 'zod';
import { NodeWithHealthSchema } from './health';
import { FieldErrorSchema } from './seed-format';

// Request and response shapes shared by REST, the web bridge and MCP.
// Sent as text in the query, documented as what it means: a boolean.
// Only true or false (any case): 0, 1, yes or an empty value is refused, as the document's boolean says.
const queryBool = z.stringbool({ truthy: ['true'], falsy: ['false'], error: 'must be true or false' }).meta({ type: 'boolean' });
/** A whole number in the query: digits only (an empty `?after_seq=` is refused, not read as 0). */
export const queryInt = (min: number, max?: number) => {
  const int = z.int({ error: 'must be a whole number' }).min(min, { error: `must be at least ${min}` });
  return z
    .string()
    .regex(/^[0-9]{1,15}$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(max === undefined ? int : int.max(max, { error: `must be at most ${max}` }))
    .meta({ type: 'integer', minimum: min, ...(max === undefined ? {} : { maximum: max }), pattern: undefined });
};

/** The one error shape of every face; OpenAPI refers to it as components/schemas/Error. */
export const ErrorResponseSchema = z
  .object({
    error: z.string().describe('Error code, e.g. validation_error'),
    message: z.string(),
    details: z.array(FieldErrorSchema).describe('Each field at fault and why'),
    reason_code: z.string().optional().describe('What failed, for a client to word it in its own language (docker_not_installed, service_not_found, …); message says it in English'),
    reason_params: z.record(z.string(), z.union([z.string(), z.number()])).optional().describe("The values reason_code's sentence names"),
  })
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
  after_seq: queryInt(0).optional(),
  limit: queryInt(1, 5000).default(200),
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
