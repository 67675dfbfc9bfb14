import { z } from 'zod';

/**
 * The shortest timing a person's fleet can use. A sweep more often than each second tells a person
 * nothing sooner (two failed checks make an alert), and a probe given less than half a second fails
 * healthy nodes reached through a Tailscale relay (DERP), which adds hundreds of milliseconds.
 */
export const TIMING_FLOORS = { interval_s: 1, timeout_s: 0.5 } as const;
/**
 * TEST_TIMING's floors, for tests only: a test sees a node fail and recover within a second. Set
 * explicitly (TEST_TIMING=1, or `TestTimingSettingsSchema` in-process); REST, IPC, MCP and the
 * window keep TIMING_FLOORS.
 */
export const TEST_TIMING_FLOORS = { interval_s: 0.05, timeout_s: 0.01 } as const;

// Monitor settings. Defaults: the seed's 5.0 s timeout, a 15 s interval, 2/2 thresholds.
const monitorSettingsSchema = (floors: { interval_s: number; timeout_s: number }) =>
  z.strictObject({
    interval_s: z.number().min(floors.interval_s, { error: `must be at least ${floors.interval_s} s` }).max(86_400).default(15),
    timeout_s: z.number().min(floors.timeout_s, { error: `must be at least ${floors.timeout_s} s` }).max(300).default(5),
    failure_threshold: z.int().min(1).max(100).default(2),
    recovery_threshold: z.int().min(1).max(100).default(2),
    concurrency: z.int().min(1).max(10_000).default(1000),
    /** Fraction of the interval added at random, so sweeps of many hosts do not line up. */
    jitter: z.number().min(0).max(1).default(0.1),
    /** When at least this fraction of previously healthy nodes fail in one sweep, blame the monitor. */
    offline_fraction: z.number().min(0.5).max(1).default(0.9),
    /** After resume from sleep, failures are not turned into alerts for this long. */
    resume_grace_s: z.number().min(0).max(3600).default(30),
  });
export const MonitorSettingsSchema = monitorSettingsSchema(TIMING_FLOORS);
/** The same under TEST_TIMING (tests only). */
export const TestTimingSettingsSchema = monitorSettingsSchema(TEST_TIMING_FLOORS);
export type MonitorSettings = z.infer<typeof MonitorSettingsSchema>;
export type MonitorSettingsInput = z.input<typeof MonitorSettingsSchema>;
// A patch carries only the fields sent: zod applies defaults even inside .partial(), which made a
// one-field PUT reset every other field, so the patch is built from the fields without their defaults.
const monitorFields = MonitorSettingsSchema.shape;
export const MonitorSettingsPatchSchema = z.strictObject({
  interval_s: monitorFields.interval_s.removeDefault().optional(),
  timeout_s: monitorFields.timeout_s.removeDefault().optional().describe('Must not be longer than interval_s (as sent, or as saved): 422 otherwise.'),
  failure_threshold: monitorFields.failure_threshold.removeDefault().optional(),
  recovery_threshold: monitorFields.recovery_threshold.removeDefault().optional(),
  concurrency: monitorFields.concurrency.removeDefault().optional(),
  jitter: monitorFields.jitter.removeDefault().optional(),
  offline_fraction: monitorFields.offline_fraction.removeDefault().optional(),
  resume_grace_s: monitorFields.resume_grace_s.removeDefault().optional(),
});
export type MonitorSettingsPatch = z.infer<typeof MonitorSettingsPatchSchema>;

/** The fields of a saved settings file that still validate, and the names of those that do not (a file from another version keeps what it can). */
export function validMonitorFields(saved: unknown): { valid: MonitorSettingsPatch; refused: string[] } {
  const valid: Record<string, unknown> = {};
  const refused: string[] = [];
  const fields = MonitorSettingsPatchSchema.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(saved !== null && typeof saved === 'object' ? saved : {})) {
    const field = Object.hasOwn(fields, key) ? fields[key].safeParse(value) : undefined;
    if (field?.success && field.data !== undefined) valid[key] = field.data;
    else refused.push(key);
  }
  return { valid: valid as MonitorSettingsPatch, refused };
}

/**
 * The rule between fields, checked whenever a change touches either of them (REST, IPC and MCP all
 * change settings through the monitor): a probe must end before the next sweep starts.
 */
export const MonitorTimingSchema = z
  .object({ interval_s: z.number(), timeout_s: z.number() })
  .superRefine((s, ctx) => {
    if (s.timeout_s > s.interval_s)
      ctx.addIssue({ code: 'custom', path: ['timeout_s'], message: `must not be longer than the interval (${s.interval_s} s): a probe would still be running when the next sweep starts` });
  });
/** Whether a patch changes the timing the rule above covers. */
export const touchesTiming = (patch: MonitorSettingsPatch): boolean => patch.interval_s !== undefined || patch.timeout_s !== undefined;

/** Where each monitor setting's value came from: shown beside it in the settings dialog. */
export const SettingSourceSchema = z.enum(['default', 'saved', 'environment', 'flag', '.env file', 'demo']);
export type SettingSource = z.infer<typeof SettingSourceSchema>;
export const MonitorSettingSourcesSchema = z.record(z.enum(Object.keys(monitorFields) as [keyof MonitorSettings, ...Array<keyof MonitorSettings>]), SettingSourceSchema);
export type MonitorSettingSources = Record<keyof MonitorSettings, SettingSource>;
export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = MonitorSettingsSchema.parse({});

/** Addresses where plain http:// is acceptable: Tailscale (WireGuard) or the machine itself carries the bytes. */
const TAILNET_OR_LOOPBACK = (host: string): boolean => {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h.endsWith('.ts.net')) return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (v4) return v4[1] === '127' || (v4[1] === '100' && Number(v4[2]) >= 64 && Number(v4[2]) <= 127);
  return /^fd7a:115c:a1e0:/.test(h);
};

/** A service's address as an operator types it: http(s), no credentials in it, plain http only where the network is private. */
export const ServiceUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// address, like http://100.64.0.5:8000' })
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), { error: 'must not carry a user or password: the token goes in its own field' })
  .refine((u) => !URL.canParse(u) || new URL(u).protocol !== 'http:' || TAILNET_OR_LOOPBACK(new URL(u).hostname), {
    error: 'plain http:// would send the token in the clear: use https://, or a tailnet address (100.64.0.0/10, fd7a:115c:a1e0::/48, *.ts.net) or loopback, where Tailscale or the machine carries it',
  });

/** Preferences of the desktop shell, kept in electron-store beside the registry. */
export const ShellSettingsSchema = z.strictObject({
  start_at_login: z.boolean().default(false),
  notifications: z.boolean().default(true),
  /** The desktop app can serve the REST API too (off by default, same guards as headless). */
  serve_rest_api: z.boolean().default(false),
  rest_port: z.int().min(1).max(65535).default(8000),
  command_policy: z.enum(['deny', 'ask', 'allow']).default('ask'),
  window_bounds: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).optional(),
  /** Client mode: the headless service this app watches instead of running a monitor of its own. */
  watch_url: ServiceUrlSchema.nullable().default(null),
});
export type ShellSettings = z.infer<typeof ShellSettingsSchema>;

/**
 * Settings → "Watch a service": a URL and a token make the app a client of that service (no monitor
 * of its own); `url: null` goes back to local monitoring with the app's own data.
 */
export const WatchServiceSchema = z.union([
  z.strictObject({ url: ServiceUrlSchema, token: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(512, { error: 'must be at most 512 characters' }) }),
  z.strictObject({ url: z.null() }),
]);
export type WatchService = z.infer<typeof WatchServiceSchema>;
