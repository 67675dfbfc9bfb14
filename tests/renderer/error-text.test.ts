// @vitest-environment node
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/app-core';
import { OrchestratorError } from '../../src/shared/errors';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { localizedError } from '../../src/renderer/src/i18n/error-text';
import { i18n, setupI18n } from '../../src/renderer/src/i18n/setup-i18n';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';
import { tempDir } from '../helpers/temp-dir';

// Issue 40, item 12: what the service answers about Docker, Swarm and SSH reaches a Korean window in
// Korean: the errors carry a reason code and its values, and the window words them. Real failures
// from a real core: a Docker socket that is not there, and an SSH port on 127.104.2.1 that refuses.
const HANGUL = /[\uac00-\ud7a3]/;
const ENGLISH_RUN = /\b[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){2,}\b/;
let core: Core;

async function failure(run: () => Promise<unknown>): Promise<ReturnType<OrchestratorError['toJSON']>> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(OrchestratorError);
    // As every face sends it: the JSON of the error.
    return JSON.parse(JSON.stringify(error));
  }
  throw new Error('it did not fail');
}

describe('service errors in the window language', () => {
  afterEach(async () => core?.close());
  afterAll(() => setupI18n('en'));

  it('says a Docker daemon that is not there, and no Swarm manager because of it, in Korean', async () => {
    core = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({}) });
    core.registry.create({ id: 'mgr-1', hostname: 'mgr-1', tailscale_ip: '127.104.2.1', role: 'master', cpu_cores: 2, memory_gb: 4, docker: { enabled: true, via: 'local', host: 'unix:///nonexistent/docker.sock' } });
    const error = await failure(() => core.workloads.list());
    expect(error.reason_code).toBe('no_swarm_manager');
    setupI18n('ko');
    const ko = localizedError({ ...error, details: error.details });
    expect(ko).toMatch(HANGUL);
    expect(ko).toContain('mgr-1');
    expect(ko).toContain('unix:///nonexistent/docker.sock');
    expect(ko).not.toMatch(ENGLISH_RUN);
    setupI18n('en');
    expect(i18n.language).toBe('en');
    expect(localizedError(error)).toBe('No Swarm manager answered: The Docker daemon on mgr-1 is not running, or not at unix:///nonexistent/docker.sock: ' + error.reason_params!['cause.detail']);
  });

  it('says an SSH connection refused on the way to Docker in Korean', async () => {
    core = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({}) });
    core.registry.create({ id: 'mgr-2', hostname: 'mgr-2', tailscale_ip: '127.104.2.2', role: 'master', cpu_cores: 2, memory_gb: 4, ssh: { user: 'ops', port: 1 }, docker: { enabled: true, via: 'ssh' } });
    const error = await failure(() => core.workloads.list());
    expect(error.reason_params).toMatchObject({ cause_code: 'ssh_failed', 'cause.cause_code': 'refused' });
    setupI18n('ko');
    const ko = localizedError(error);
    expect(ko).toMatch(HANGUL);
    expect(ko).toContain('127.104.2.2:1');
    expect(ko).not.toMatch(ENGLISH_RUN);
  });

  it('says why a node gave no metrics in Korean, quoting what the node itself said', async () => {
    // A demo node: a real SSH handshake, then its shell says on stderr that nothing runs there.
    const sim = new FleetSimulator([{ ip: '127.104.2.3', ssh_port: 2222, behaviour: 'healthy' }]);
    await sim.start();
    try {
      core = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({}) });
      core.registry.create({ id: 'sim-1', hostname: 'sim-1', tailscale_ip: '127.104.2.3', role: 'worker', cpu_cores: 2, memory_gb: 4, ssh: { user: 'demo', port: 2222 } });
      const error = await failure(() => core.ssh.getMetrics('sim-1'));
      expect(error).toMatchObject({ error: 'unavailable', reason_code: 'metrics_shell_said', reason_params: { node: 'sim-1', detail: expect.stringContaining('simulated demo node') } });
      setupI18n('ko');
      expect(localizedError(error)).toBe(`sim-1의 지표 셸이 닫혔습니다: ${error.reason_params!.detail}`);
      setupI18n('en');
      expect(localizedError(error)).toBe(`The metrics shell on sim-1 closed: ${error.reason_params!.detail}`);
    } finally {
      await sim.stop();
    }
  });

  it('says a missing tailscale CLI in Korean', async () => {
    core = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({}) });
    const error = await failure(() => core.tailscale.readFromCli('/nonexistent/tailscale'));
    expect(error.reason_code).toBe('tailscale_not_installed');
    setupI18n('ko');
    const ko = localizedError(error);
    expect(ko).toMatch(HANGUL);
    expect(ko).not.toMatch(ENGLISH_RUN);
  });

  it('says a service that does not exist, and refused fields, in Korean; an unknown reason as the service said it', () => {
    setupI18n('ko');
    expect(localizedError(new OrchestratorError('not_found', 'No service named "web" in the swarm', [], { code: 'service_not_found', params: { name: 'web' } }).toJSON())).toBe('Swarm에 "web" 서비스가 없습니다');
    const refused = localizedError({ error: 'validation_error', message: 'Invalid — replicas: must be at least 0', details: [{ field: 'replicas', message: 'must be at least 0', code: 'number_min', params: { min: 0 } }] });
    expect(refused).toMatch(/^replicas: /);
    expect(refused).toMatch(HANGUL);
    expect(localizedError({ error: 'conflict', message: 'Something new', details: [], reason_code: 'from_a_newer_service' })).toBe('Something new');
  });
});
