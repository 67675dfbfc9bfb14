import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/app-core';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../helpers/sshd';
import { tempDir } from '../helpers/temp-dir';

// Every fault the product knows, in one place, each classified with its reason, and a sweep over
// all of them bounded by the timeout.
const TIMEOUT_S = 1;
const table: Array<[string, string, string]> = [];
let core: Core;
let sim: FleetSimulator;
let fleet: SshdFleet;

const httpFaults = [
  ['connection refused', 'refusing', 'refused'],
  ['hang after accept', 'hanging', 'timeout_headers'],
  ['slow-loris body', 'slowloris', 'timeout_body'],
  ['HTTP 5xx', 'http_5xx', 'http_status'],
  ['reset', 'reset', 'reset'],
  ['TLS mismatch', 'tls_mismatch', 'tls'],
] as const;

describe.skipIf(sshdMissing)('fault catalogue for probes and SSH', () => {
  beforeAll(async () => {
    sim = await new FleetSimulator(httpFaults.map(([, behaviour], i) => ({ ip: `127.45.0.${i + 1}`, http_port: 8443, behaviour }))).start();
    fleet = await startSshdFleet(['127.45.1.1', '127.45.1.2']);
    core = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({ timeout_s: TIMEOUT_S }), ssh: { metricsIntervalMs: 0, defaultKeyPath: fleet.clientKey } });
    httpFaults.forEach(([name, behaviour], i) =>
      core.registry.create({ id: `f-${behaviour.replace('_', '-')}`, hostname: name.replace(/\W+/g, '-'), tailscale_ip: `127.45.0.${i + 1}`, role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'http', port: 8443, scheme: behaviour === 'tls_mismatch' ? 'https' : 'http' }] }),
    );
    core.registry.create({ id: 'f-dns', hostname: 'no-such-host.invalid', tailscale_ip: '127.45.0.99', role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'http', url: 'http://no-such-host.invalid:8443/health' }] });
    ['127.45.1.1', '127.45.1.2'].forEach((ip, i) => core.registry.create({ id: `s-${i + 1}`, hostname: `s-${i + 1}`, tailscale_ip: ip, role: 'worker', cpu_cores: 1, memory_gb: 1, ssh: { user: fleet.user, port: fleet.port } }));
  });
  afterAll(async () => {
    console.log(`[faults] classified:\n${table.map(([fault, reason, detail]) => `  ${fault.padEnd(26)} ${reason.padEnd(16)} ${detail}`).join('\n')}`);
    await core?.close();
    await sim?.stop();
    await fleet?.stop();
  });

  it('classifies each probe fault with its reason, in one sweep bounded by the timeout', async () => {
    const started = performance.now();
    await core.monitor.sweep();
    const elapsed = performance.now() - started;
    for (const [name, behaviour, reason] of httpFaults) {
      const last = core.monitor.lastCheck(`f-${behaviour.replace('_', '-')}`)!;
      const got = last.probes[0].reason!;
      table.push([name, got, last.error ?? '']);
      expect(behaviour === 'reset' ? ['reset', 'closed'] : [reason]).toContain(got);
    }
    const dns = core.monitor.lastCheck('f-dns')!;
    table.push(['DNS failure (hostname)', dns.reason!, dns.error!]);
    expect(dns.reason).toBe('dns');
    // Bounded by one timeout, not one per fault (nine in a row would take 9 s); 2x leaves room for a loaded CI.
    expect(elapsed).toBeLessThan(TIMEOUT_S * 1000 * 2);
  });

  it('classifies SSH faults: auth failure, changed host key, sshd killed mid-command', async () => {
    const wrongKey = path.join(tempDir(), 'k');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    core.registry.update('s-2', { ssh: { user: fleet.user, port: fleet.port, key_path: wrongKey } });
    const auth = (await core.ssh.run({ node_ids: ['s-2'], command: 'true' }, 'test')).results[0];
    table.push(['SSH auth failure', 'ssh_auth', auth.error!]);
    expect(auth.error).toMatch(/^SSH authentication failed/);

    expect((await core.ssh.run({ node_ids: ['s-1'], command: 'true' }, 'test')).results[0].exit_code).toBe(0);
    const running = core.ssh.run({ node_ids: ['s-1'], command: 'sleep 30', timeout: 20 }, 'test');
    await new Promise((r) => setTimeout(r, 700));
    const killedAt = performance.now();
    // sshd and this fleet's sessions die mid-command (not other suites' sessions: only our listeners' children).
    const children = (ppids: number[]): number[] => {
      try {
        return execFileSync('pgrep', ['-P', ppids.join(',')], { encoding: 'utf8' }).trim().split('\n').map(Number);
      } catch {
        return [];
      }
    };
    const sessions = children(fleet.pids());
    const sessionChildren = sessions.length > 0 ? children(sessions) : [];
    fleet.killAll();
    for (const pid of [...sessions, ...sessionChildren]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    const killed = (await running).results[0];
    table.push(['sshd killed mid-command', 'closed', killed.error!]);
    expect(killed.exit_code).toBeNull();
    expect(killed.error).toMatch(/connection closed|killed by signal/);
    expect(performance.now() - killedAt).toBeLessThan(5000);

    await fleet.rotateHostKey();
    core.ssh.pool.closeAll();
    const changed = (await core.ssh.run({ node_ids: ['s-1'], command: 'true' }, 'test')).results[0];
    table.push(['SSH host-key change', 'host_key', changed.error!.slice(0, 90) + '…']);
    expect(changed.error).toMatch(/host key .* changed: pinned SHA256:.+, presented SHA256:/);
  });
});
