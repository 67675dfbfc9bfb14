import { z } from 'zod';

// One schema per probe kind; the union is what a node's `probes` list holds.
const port = z.int().min(1, { error: 'must be a port between 1 and 65535' }).max(65535, { error: 'must be a port between 1 and 65535' });
const httpStatus = z.int().min(100).max(599);

export const TcpProbeSchema = z.strictObject({
  type: z.literal('tcp'),
  port,
});

export const HttpProbeSchema = z.strictObject({
  type: z.literal('http'),
  port: port.optional(),
  path: z.string().max(2048).regex(/^\//, { error: 'must start with /' }).default('/health'),
  scheme: z.enum(['http', 'https']).default('http'),
  /** A full URL overrides scheme, host, port and path. */
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048).optional(),
  /** One status, or an inclusive [min, max] range; default 200–399. */
  // A pair as an array of two, not a tuple: a tuple becomes prefixItems with `items: false`, which
  // stricter MCP clients refuse (Inspector --strict).
  expect_status: z.union([httpStatus, z.array(httpStatus).length(2, { error: 'must be one status or [min, max]' })]).optional(),
});

export const SshProbeSchema = z.strictObject({
  type: z.literal('ssh'),
  port: port.default(22),
});

export const ProbeSchema = z.discriminatedUnion('type', [TcpProbeSchema, HttpProbeSchema, SshProbeSchema]);

export type TcpProbe = z.infer<typeof TcpProbeSchema>;
export type HttpProbe = z.infer<typeof HttpProbeSchema>;
export type SshProbe = z.infer<typeof SshProbeSchema>;
export type Probe = z.infer<typeof ProbeSchema>;
export type ProbeInput = z.input<typeof ProbeSchema>;

export const DEFAULT_PROBE: Probe = { type: 'tcp', port: 22 };

/** Outcome of one probe attempt. `reason` is a stable machine code, `error` the human text. */
export const ProbeResultSchema = z.object({
  type: z.enum(['tcp', 'http', 'ssh']),
  target: z.string(),
  ok: z.boolean(),
  latency_ms: z.number().nullable(),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  status_code: z.int().optional(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;
