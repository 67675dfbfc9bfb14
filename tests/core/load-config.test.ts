import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertOptionsFrom, loadServiceConfig, monitorSettingsFrom } from '../../src/core/config/load-config';
import { tempDir } from '../helpers/temp-dir';

describe('service configuration', () => {
  it('uses the seed names with safe defaults', () => {
    const { config } = loadServiceConfig({ env: {}, cwd: tempDir() });
    expect(config).toMatchObject({ HOST: '127.0.0.1', PORT: 8000, HEALTH_CHECK_TIMEOUT: 5, HEALTH_CHECK_INTERVAL: 15, DEBUG: false, MCP_COMMAND_POLICY: 'deny' });
    expect(monitorSettingsFrom(config)).toMatchObject({ timeout_s: 5, interval_s: 15, failure_threshold: 2, recovery_threshold: 2 });
  });

  it('layers flags over the environment over .env', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, '.env'), 'PORT=8080\nHEALTH_CHECK_TIMEOUT=3.0\nDEBUG=true\nFAILURE_THRESHOLD=4\n');
    const { config, rest } = loadServiceConfig({ env: { PORT: '8090', HEALTH_CHECK_TIMEOUT: '2.5' }, argv: ['--port', '9000', '--failure-threshold=3', 'extra', '--headless'], cwd });
    expect(config).toMatchObject({ PORT: 9000, HEALTH_CHECK_TIMEOUT: 2.5, DEBUG: true, FAILURE_THRESHOLD: 3 });
    expect(rest).toEqual(['extra', '--headless']);
  });

  it('names the bad setting', () => {
    expect(() => loadServiceConfig({ env: { PORT: 'eighty', HEALTH_CHECK_TIMEOUT: '-1' }, cwd: tempDir() })).toThrow(/PORT: must be a number.*HEALTH_CHECK_TIMEOUT/);
  });

  it('reads ALERT_WEBHOOK_URL as a comma-separated list and names a bad entry', () => {
    const { config } = loadServiceConfig({ env: { ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/a, https://hooks.example/b ,' }, cwd: tempDir() });
    expect(alertOptionsFrom(config)).toEqual({ envWebhookUrls: ['http://127.0.0.1:9/a', 'https://hooks.example/b'], envAlertmanagerUrls: [], instance: undefined });
    expect(alertOptionsFrom(loadServiceConfig({ env: {}, cwd: tempDir() }).config)).toEqual({ envWebhookUrls: [], envAlertmanagerUrls: [], instance: undefined });
    expect(() => loadServiceConfig({ env: { ALERT_WEBHOOK_URL: 'http://ok/a,ftp://nope' }, cwd: tempDir() })).toThrow(/ALERT_WEBHOOK_URL\.1: must be an http\(s\) URL/);
    // The receiver's own limit, named at start rather than as a ZodError from deep inside (issue 32, finding 15).
    expect(() => loadServiceConfig({ env: { ALERT_WEBHOOK_URL: `http://127.0.0.1:9/${'a'.repeat(2100)}` }, cwd: tempDir() })).toThrow(/ALERT_WEBHOOK_URL\.0: must be at most 2,048 characters/);
  });

  it('reads ALERTMANAGER_URL as every peer of a cluster, and INSTANCE as this monitor\'s name', () => {
    const { config } = loadServiceConfig({ env: { ALERTMANAGER_URL: 'http://am-1:9093, http://am-2:9093', INSTANCE: 'monitor-a' }, cwd: tempDir() });
    expect(alertOptionsFrom(config)).toEqual({ envWebhookUrls: [], envAlertmanagerUrls: ['http://am-1:9093', 'http://am-2:9093'], instance: 'monitor-a' });
    expect(() => loadServiceConfig({ env: { ALERTMANAGER_URL: 'http://am-1:9093,am-2:9093' }, cwd: tempDir() })).toThrow(/ALERTMANAGER_URL\.1: must be an http\(s\) URL/);
    expect(() => loadServiceConfig({ env: { INSTANCE: 'two words' }, cwd: tempDir() })).toThrow(/INSTANCE: must be 1-100 letters/);
  });
});
