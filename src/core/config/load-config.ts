import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parseOrThrow } from '../../shared/errors';
import { SERVICE_CONFIG_KEYS, ServiceConfigSchema, type ServiceConfig } from '../../shared/schemas/config';
import { MonitorSettingsSchema, type MonitorSettings } from '../../shared/schemas/settings';

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

/** Precedence: CLI flags, then the environment, then `.env` in the working directory, then defaults. */
export function loadServiceConfig(options: { argv?: string[]; env?: NodeJS.ProcessEnv; cwd?: string } = {}): { config: ServiceConfig; rest: string[] } {
  const env = options.env ?? process.env;
  const dotenvFile = path.join(options.cwd ?? process.cwd(), '.env');
  const fromFile = fs.existsSync(dotenvFile) ? parseDotenv(fs.readFileSync(dotenvFile)) : {};
  const { config: fromFlags, rest } = flagsToConfig(options.argv ?? []);
  const merged: Record<string, unknown> = {};
  for (const key of SERVICE_CONFIG_KEYS) {
    const value = fromFlags[key] ?? env[key] ?? fromFile[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  return { config: parseOrThrow(ServiceConfigSchema, merged), rest };
}

export function monitorSettingsFrom(config: ServiceConfig): MonitorSettings {
  return MonitorSettingsSchema.parse({
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

/** Alert settings of the headless service: the environment's webhooks. */
export function alertOptionsFrom(config: ServiceConfig) {
  return { envWebhookUrls: config.ALERT_WEBHOOK_URL ?? [] };
}
