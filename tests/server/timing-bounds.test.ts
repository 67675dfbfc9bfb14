import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/app-core';
import { loadServiceConfig, monitorSettingsFrom } from '../../src/core/config/load-config';
import { MonitorSettingsSchema, TIMING_FLOORS } from '../../src/shared/schemas/settings';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';

// Issue 40, item 15: the public bounds follow what a person's fleet can use (a sweep each second at
// most, a probe given half a second at least); tests get sub-second timing only through TEST_TIMING.
describe('check timing bounds', () => {
  it('refuses a sub-second interval and a timeout under 0.5 s from the environment, unless TEST_TIMING is set', () => {
    const cwd = tempDir();
    expect(() => loadServiceConfig({ env: { HEALTH_CHECK_INTERVAL: '0.05', HEALTH_CHECK_TIMEOUT: '0.01' }, cwd })).toThrow(
      /HEALTH_CHECK_TIMEOUT: must be at least 0\.5 s.*HEALTH_CHECK_INTERVAL: must be at least 1 s|HEALTH_CHECK_INTERVAL: must be at least 1 s.*HEALTH_CHECK_TIMEOUT: must be at least 0\.5 s/s,
    );
    const { config } = loadServiceConfig({ env: { HEALTH_CHECK_INTERVAL: '0.3', HEALTH_CHECK_TIMEOUT: '0.25' }, argv: ['--test-timing'], cwd });
    expect(monitorSettingsFrom(config)).toMatchObject({ interval_s: 0.3, timeout_s: 0.25 });
    expect(() => loadServiceConfig({ env: { HEALTH_CHECK_INTERVAL: '0.01', TEST_TIMING: '1' }, cwd })).toThrow(/HEALTH_CHECK_INTERVAL/);
    expect(MonitorSettingsSchema.safeParse({ interval_s: TIMING_FLOORS.interval_s, timeout_s: TIMING_FLOORS.timeout_s }).success).toBe(true);
  });

  describe('over REST, with a service started under TEST_TIMING', () => {
    let service: Awaited<ReturnType<typeof startTestService>>;
    beforeAll(async () => {
      service = await startTestService({ HOST: '127.104.0.1', TEST_TIMING: true, HEALTH_CHECK_INTERVAL: 0.3, HEALTH_CHECK_TIMEOUT: 0.25 });
    });
    afterAll(async () => service?.close());

    it('keeps the public bounds for every change, naming the field', async () => {
      expect((await service.call('GET', '/cluster/settings')).body).toMatchObject({ interval_s: 0.3, timeout_s: 0.25 });
      const interval = await service.call('PUT', '/cluster/settings', { body: { interval_s: 0.05 } });
      expect(interval.status).toBe(422);
      expect(interval.body.details).toEqual([expect.objectContaining({ field: 'interval_s', message: 'must be at least 1 s' })]);
      const timeout = await service.call('PUT', '/cluster/settings', { body: { interval_s: 2, timeout_s: 0.01 } });
      expect(timeout.status).toBe(422);
      expect(timeout.body.details).toEqual([expect.objectContaining({ field: 'timeout_s', message: 'must be at least 0.5 s' })]);
      // Nothing of a refused change applies.
      expect((await service.call('GET', '/cluster/settings')).body).toMatchObject({ interval_s: 0.3, timeout_s: 0.25 });
      const ok = await service.call('PUT', '/cluster/settings', { body: { interval_s: 1, timeout_s: 0.5 } });
      expect(ok.status).toBe(200);
    });

    it('says the bounds in the API document', async () => {
      const doc = (await service.call('GET', '/openapi.json')).body;
      const patch = doc.paths['/cluster/settings'].put.requestBody.content['application/json'].schema;
      const schema = patch.$ref ? doc.components.schemas[patch.$ref.split('/').pop()] : patch;
      expect(schema.properties.interval_s.minimum).toBe(1);
      expect(schema.properties.timeout_s.minimum).toBe(0.5);
    });
  });

  it('keeps the valid fields of a saved file whose timing a newer version refuses, and says which were left', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'monitor-settings.json'), JSON.stringify({ interval_s: 0.2, timeout_s: 0.1, failure_threshold: 4, jitter: 0 }));
    const lines: string[] = [];
    const core = createCore({ dataDir, settings: MonitorSettingsSchema.parse({}), log: (line) => lines.push(line) });
    try {
      expect(core.monitor.settings).toMatchObject({ interval_s: 15, timeout_s: 5, failure_threshold: 4, jitter: 0 });
      expect(core.settings.sources).toMatchObject({ interval_s: 'default', failure_threshold: 'saved' });
      expect(lines.join('\n')).toMatch(/left at their defaults: interval_s, timeout_s/);
    } finally {
      await core.close();
    }
  });
});
