import { z } from 'zod';
import { AlertEventSchema } from './alerts';
import { SentLogSchema, VantageSchema } from './peers';
import { ClusterStatusSchema, HealthEventSchema, NodeHealthSchema } from './health';
import { NodeSchema } from './node';
import { CommandResultSchema } from './ssh';

// What a service may push over its web bridge, checked where it arrives (the web UI, and the
// desktop app watching a service): a push that does not fit is dropped and logged, never shown.

const text = (max: number) => z.string().max(max);

/** One decided alert (AlertNotice): a watched service pushes it, the desktop shows it. */
export const AlertNoticeSchema = z.object({
  event: AlertEventSchema,
  title: text(1000),
  body: text(20_000),
  nodeId: text(200).nullable(),
  nodes: z.array(z.object({ id: text(200), reason: text(2000) })).max(10_000),
  to: text(1000).nullable().optional(),
  service: z.object({ name: text(200), pending: z.int(), reason: text(20_000) }).nullable().optional(),
});

/** The health push: one array per field of NodeHealth, all as long as `id` (health-columns.ts). */
const column = <T extends z.ZodType>(schema: T) => z.array(schema.nullable());
const health = NodeHealthSchema.shape;
export const HealthColumnsSchema = z
  .object({
    id: z.array(z.string()),
    status: column(health.status),
    latency_ms: column(z.number()),
    checked_at: column(z.string()),
    error: column(z.string()),
    error_code: column(z.string().max(64)),
    error_params: column(z.record(z.string(), z.union([z.string(), z.number()]))),
    last_known: column(z.boolean()),
    recent: column(z.string().max(60)),
    uptime_24h: column(z.number().min(0).max(1)),
    vantage: column(health.vantage.unwrap()),
    quorum: column(health.quorum.unwrap()),
  })
  .refine((c) => Object.values(c).every((values) => values.length === c.id.length), { error: 'every column must be as long as id' });

export const CommandStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ run_id: z.string(), type: z.literal('output'), node_id: z.string(), stream: z.enum(['stdout', 'stderr']), chunk: z.string() }),
  z.object({ run_id: z.string(), type: z.literal('done'), node_id: z.string(), result: CommandResultSchema, done: z.int(), total: z.int() }),
]);

/** Every push a service sends, by event name. `connection` is the client's own and never comes from a service. */
export const SERVICE_PUSH_SCHEMAS = {
  status: ClusterStatusSchema,
  health: HealthColumnsSchema,
  event: HealthEventSchema,
  nodes: z.object({ type: z.enum(['added', 'updated', 'removed']), node: NodeSchema }),
  command: CommandStreamEventSchema,
  alert: AlertNoticeSchema,
  vantage: VantageSchema,
  sent: SentLogSchema,
} as const;

/** The largest frame a bridge client takes from a service (the web UI and the desktop alike): 10,000 nodes fit with room. */
export const BRIDGE_MAX_FRAME_BYTES = 16 * 1024 * 1024;
