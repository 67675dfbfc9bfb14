import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { OrchestratorError, parseOrThrow } from '../../shared/errors';
import { SERVICE_CONFIG_KEYS, ServiceConfigSchema, type ServiceConfig } from '../../shared/schemas/config';
import { MonitorSettingsSchema, TestTimingSettingsSchema, type MonitorSettings } from '../../shared/schemas/settings';
import type { PinnedSources } from '../monitor/settings-store';

/** `--health-check-timeout 2` and `--port=8001` → { HEALTH_CHECK_TIMEOUT: '2', PORT: '8001' }. */
export function flagsToConfig(args: string[]): { config: Record<string, string>; rest: string[] } {
  const byFlag = new Map(SERVICE_CONFIG_KEYS.map((key) => [`--${key.toLowerCase().replace(/_/g, '-')}`, key]));
  const config: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const key = byFlag.get(flag);
    if (!key) {
      rest.push(args[i]);
      continue;
    }
    const value = inline ?? (args[i + 1] !== undefined && !args[i + 1].startsWith('--') ? args[++i] : 'true');
    config[key] = value;
  }
  return { config, rest };
}

export type ConfigSources = Partial<Record<keyof ServiceConfig, 'flag' | 'environment' | '.env file'>>;

/** Precedence: CLI flags, then the environment, then `.env` in the working directory, then defaults. */
export function loadServiceConfig(options: { argv?: string[]; env?: NodeJS.ProcessEnv; cwd?: string } = {}): { config: ServiceConfig; rest: string[]; sources: ConfigSources } {
  const env = options.env ?? process.env;
  const dotenvFile = path.join(options.cwd ?? process.cwd(), '.env');
  const fromFile = readDotenv(dotenvFile);
  const { config: fromFlags, rest } = flagsToConfig(options.argv ?? []);
  const merged: Record<string, unknown> = {};
  const sources: ConfigSources = {};
  for (const key of SERVICE_CONFIG_KEYS) {
    const [value, source] = fromFlags[key] ? [fromFlags[key], 'flag' as const] : env[key] ? [env[key], 'environment' as const] : [fromFile[key], '.env file' as const];
    if (value !== undefined && value !== '') {
      merged[key] = value;
      sources[key] = source;
    }
  }
  return { config: parseOrThrow(ServiceConfigSchema, merged), rest, sources };
}

/** `.env`'s settings, none when there is no such file; a FIFO or a directory there is refused, not waited on. */
function readDotenv(file: string): Record<string, string> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return {};
  }
  if (!stat.isFile()) throw new OrchestratorError('bad_request', `${file} is not a regular file`, [{ field: '.env', message: 'must be a regular file (settings as KEY=value lines)' }]);
  return parseDotenv(fs.readFileSync(file));
}

const MONITOR_KEY_OF: Partial<Record<keyof ServiceConfig, keyof MonitorSettings | 'monitor_peers'>> = {
  MONITOR_PEERS: 'monitor_peers',
  HEALTH_CHECK_TIMEOUT: 'timeout_s',
  HEALTH_CHECK_INTERVAL: 'interval_s',
  FAILURE_THRESHOLD: 'failure_threshold',
  RECOVERY_THRESHOLD: 'recovery_threshold',
  PROBE_CONCURRENCY: 'concurrency',
};

/** Monitor settings the environment, a flag or .env set: they win over saved values at start. */
export function pinnedMonitorSettings(sources: ConfigSources): PinnedSources {
  const pinned: PinnedSources = {};
  for (const [key, source] of Object.entries(sources) as Array<[keyof ServiceConfig, NonNullable<ConfigSources[keyof ServiceConfig]>]>) {
    const monitorKey = MONITOR_KEY_OF[key];
    if (monitorKey) pinned[monitorKey] = source;
  }
  return pinned;
}

export function monitorSettingsFrom(config: ServiceConfig): MonitorSettings {
  return (config.TEST_TIMING ? TestTimingSettingsSchema : MonitorSettingsSchema).parse({
    timeout_s: config.HEALTH_CHECK_TIMEOUT,
    interval_s: config.HEALTH_CHECK_INTERVAL,
    failure_threshold: config.FAILURE_THRESHOLD,
    recovery_threshold: config.RECOVERY_THRESHOLD,
    concurrency: config.PROBE_CONCURRENCY,
  });
}

/** SSH settings of the headless service; a key passphrase comes only from the environment. */
export function sshOptionsFrom(config: ServiceConfig, env: NodeJS.ProcessEnv = process.env) {
  return {
    defaultKeyPath: config.SSH_KEY_PATH,
    hostKeyPolicy: config.SSH_HOST_KEY_POLICY,
    concurrency: config.SSH_CONCURRENCY,
    metricsIntervalMs: config.METRICS_INTERVAL * 1000,
    passphraseFor: () => env.SSH_KEY_PASSPHRASE,
  };
}

/** Alert settings of the headless service: the environment's webhooks and Alertmanager peers, and this monitor's name. */
export function alertOptionsFrom(config: ServiceConfig) {
  return { envWebhookUrls: config.ALERT_WEBHOOK_URL ?? [], envAlertmanagerUrls: config.ALERTMANAGER_URL ?? [], instance: config.INSTANCE };
}

/** SWARM_FAILOVER, when given, wins over the saved failover setting at start. */
export function failoverOptionsFrom(config: ServiceConfig) {
  return { enabledFromEnv: config.SWARM_FAILOVER };
}
