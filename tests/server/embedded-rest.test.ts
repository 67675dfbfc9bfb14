import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/app-core';
import { startRestForCore } from '../../src/server/embedded-rest';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { caller } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';

// The desktop app's optional REST API: the app's own core behind the headless routes and guards.
let core: Core;
let rest: Awaited<ReturnType<typeof startRestForCore>>;
beforeAll(async () => {
  core = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({}), ssh: { metricsIntervalMs: 0 } });
  core.registry.create({ id: 'desk', hostname: 'desk', tailscale_ip: '127.0.0.1', role: 'master', cpu_cores: 1, memory_gb: 1 });
  rest = await startRestForCore(core, { port: 0, version: '9.9.9-desk', webRoot: null });
});
afterAll(async () => {
  await rest.close();
  await core.close();
});

describe('REST API served by the desktop app', () => {
  it('serves the same core with the token and Host guard', async () => {
    expect(rest.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const call = caller(rest.url);
    expect((await call('GET', '/cluster/nodes', { token: null })).status).toBe(401);
    const token = (await import('node:fs')).readFileSync(`${core.dataDir}/api-token`, 'utf8').trim();
    expect((await call('GET', '/cluster/nodes/desk', { token })).body).toMatchObject({ id: 'desk', role: 'master' });
    expect((await call('GET', '/health', { token: null, headers: { host: 'evil.example' } })).status).toBe(403);
    // The shell's version, passed in (not read from a package.json next to the bundle).
    expect((await call('GET', '/', { token })).body).toMatchObject({ version: '9.9.9-desk' });
  });
});
