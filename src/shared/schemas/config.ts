import { z } from 'zod';
import { AlertUrlSchema } from './alerts';
import { TEST_TIMING_FLOORS, TIMING_FLOORS } from './settings';
import { MonitorPeersSchema } from './peers';

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const num = (schema: z.ZodNumber) => z.coerce.number({ error: 'must be a number' }).pipe(schema);

/**
 * Settings of the headless service, from the environment, a .env file or CLI flags.
 * Keys are the environment names (the seed's where it had them); flags are their kebab-case.
 */
export const ServiceConfigSchema = z.strictObject({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: num(z.int().min(0).max(65535, { error: 'must be a port between 0 and 65535' })).default(8000),
  DATA_DIR: z.string().min(1).optional(),
  NODES_FILE_PATH: z.string().min(1).optional(),
  /** import: read NODES_FILE_PATH once into an empty registry; sync: follow it as the fleet's source of truth. */
  NODES_FILE_MODE: z.enum(['import', 'sync'], { error: 'must be import or sync' }).default('import'),
  // The floors are TIMING_FLOORS, checked below: TEST_TIMING lowers them for tests.
  HEALTH_CHECK_TIMEOUT: num(z.number().min(TEST_TIMING_FLOORS.timeout_s, { error: `must be at least ${TIMING_FLOORS.timeout_s} s` }).max(300)).default(5),
  HEALTH_CHECK_INTERVAL: num(z.number().min(TEST_TIMING_FLOORS.interval_s, { error: `must be at least ${TIMING_FLOORS.interval_s} s` }).max(86_400)).default(15),
  /** For tests only: lowers the floors of the check interval and timeout to 0.05 s and 0.01 s. */
  TEST_TIMING: bool.default(false),
  FAILURE_THRESHOLD: num(z.int().min(1).max(100)).default(2),
  RECOVERY_THRESHOLD: num(z.int().min(1).max(100)).default(2),
  PROBE_CONCURRENCY: num(z.int().min(1).max(10_000)).default(1000),
  DEBUG: bool.default(false),
  API_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** Failed authentications a client address may make in a minute before it gets 429. */
  AUTH_FAILURES_PER_MINUTE: num(z.int().min(1).max(1_000_000)).default(10),
  MCP_COMMAND_POLICY: z.enum(['deny', 'ask', 'allow']).default('deny'),
  MCP_READ_ONLY: bool.default(false),
  /** Seconds a person has to answer an agent's request under MCP_COMMAND_POLICY=ask. */
  MCP_ASK_TIMEOUT: num(z.number().min(1).max(3600)).default(60),
  SSH_KEY_PATH: z.string().optional(),
  SSH_HOST_KEY_POLICY: z.enum(['tofu', 'approve']).default('tofu'),
  SSH_CONCURRENCY: num(z.int().min(1).max(1000)).default(32),
  METRICS_INTERVAL: num(z.number().min(1).max(86_400)).default(60),
  /** Poll `tailscale status --json` this often (seconds) to show Tailscale's view beside probes; 0 = off. */
  TAILSCALE_SYNC_INTERVAL: num(z.number().min(0).max(86_400)).default(0),
  /** `demo` only: an address per simulated node, or all on 127.0.0.1 with ports of their own (macOS); auto detects. */
  DEMO_LOOPBACK: z.enum(['auto', 'per-node', 'single']).default('auto'),
  /** Seconds a service's replica may stay pending before it is an alert (service_pending). */
  SERVICE_PENDING_ALERT_AFTER: num(z.number().min(1, { error: 'must be at least 1 s' }).max(86_400)).default(300),
  /** Drain in Docker Swarm the nodes our monitor settles as unhealthy (see PUT /cluster/failover). */
  SWARM_FAILOVER: bool.optional(),
  /** Generic alert webhooks, comma-separated; each gets every alert as JSON. */
  ALERT_WEBHOOK_URL: z
    .string()
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(AlertUrlSchema).max(20, { error: 'must list at most 20 URLs' }))
    .optional(),
  /** Every peer of an Alertmanager cluster, comma-separated: each gets every alert (see the README's HA recipe). */
  ALERTMANAGER_URL: z
    .string()
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(AlertUrlSchema).max(10, { error: 'must list at most 10 Alertmanager peers' }))
    .optional(),
  /** The other monitors of this fleet, as JSON: [{"url": "http://100.64.0.7:8000", "token": "…"}] (a viewer token of each is enough). */
  MONITOR_PEERS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {"url", "token"}' });
        return z.NEVER;
      }
    })
    .pipe(MonitorPeersSchema)
    .optional(),
  /** How many of the voting monitors must see a node down (or degraded) to call it so (default: a majority; 1 is one monitor's verdict). */
  QUORUM: num(z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(17, { error: 'must be at most 17 (16 peers and this monitor)' })).optional(),
  /** This monitor's name in what it sends and in /metrics (default: the hostname). */
  INSTANCE: z.string().regex(/^[\w.:-]{1,100}$/, { error: 'must be 1-100 letters, digits, _ . : or -' }).optional(),
  /** The address people open the web UI at (links in alerts); default: the address the service listens on. */
  PUBLIC_URL: AlertUrlSchema.optional(),
}).superRefine((config, ctx) => {
  if (config.TEST_TIMING) return;
  if (config.HEALTH_CHECK_INTERVAL < TIMING_FLOORS.interval_s)
    ctx.addIssue({ code: 'custom', path: ['HEALTH_CHECK_INTERVAL'], message: `must be at least ${TIMING_FLOORS.interval_s} s` });
  if (config.HEALTH_CHECK_TIMEOUT < TIMING_FLOORS.timeout_s)
    ctx.addIssue({ code: 'custom', path: ['HEALTH_CHECK_TIMEOUT'], message: `must be at least ${TIMING_FLOORS.timeout_s} s` });
});
export type ServiceConfig = z.infer<typeof ServiceConfigSchema>;
export const SERVICE_CONFIG_KEYS = Object.keys(ServiceConfigSchema.shape) as Array<keyof ServiceConfig>;
