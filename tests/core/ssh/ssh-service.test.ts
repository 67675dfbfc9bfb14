import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/core/app-core';
import { MonitorSettingsSchema } from '../../../src/shared/schemas/settings';
import type { CommandStreamEvent } from '../../../src/shared/schemas/ssh';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../../helpers/sshd';
import { tempDir } from '../../helpers/temp-dir';

const ADDRESSES = ['127.31.0.1', '127.31.0.2', '127.31.0.3'];
let fleet: SshdFleet;
let core: Core;

const sshNode = (i: number, extra: object = {}) => ({
  id: `ssh-${i + 1}`,
  hostname: `ssh-${i + 1}`,
  tailscale_ip: ADDRESSES[i],
  role: i === 0 ? 'master' : 'worker',
  tags: i === 2 ? ['batch'] : [],
  cpu_cores: 2,
  memory_gb: 4,
  ssh: { user: fleet.user, port: fleet.port, key_path: fleet.clientKey },
  ...extra,
});

describe.skipIf(sshdMissing)('SSH operations against real OpenSSH on loopback', () => {
  beforeAll(async () => {
    fleet = await startSshdFleet(ADDRESSES);
    core = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({}), ssh: { metricsIntervalMs: 0, agentSocket: undefined } });
    ADDRESSES.forEach((_, i) => core.registry.create(sshNode(i)));
  });
  afterAll(async () => {
    await core?.close();
    await fleet?.stop();
  });

  it('fans a command out and reports exit codes, stdout and stderr per node, streaming as it goes', async () => {
    const events: CommandStreamEvent[] = [];
    const off = core.ssh.events.on('command', (e) => events.push(e));
    const response = await core.ssh.run({ node_ids: ['ssh-1', 'ssh-2', 'ssh-3'], command: 'echo "out $SSH_CONNECTION"; echo oops >&2; exit 3', timeout: 10 }, 'test');
    off();
    expect(response.results).toHaveLength(3);
    for (const [i, result] of response.results.entries()) {
      expect(result).toMatchObject({ node_id: `ssh-${i + 1}`, exit_code: 3, stderr: 'oops\n', error: null });
      expect(result.stdout).toContain(` ${ADDRESSES[i]} ${fleet.port}`); // ran on the address we asked for
    }
    expect(events.filter((e) => e.type === 'output').length).toBeGreaterThanOrEqual(6);
    expect(events.filter((e) => e.type === 'done').map((e) => e.type === 'done' && e.done).sort()).toEqual([1, 2, 3]);
    const byRole = await core.ssh.run({ role: 'master', command: 'true' }, 'test');
    expect(byRole.results.map((r) => [r.node_id, r.exit_code])).toEqual([['ssh-1', 0]]);
    const byTag = await core.ssh.run({ tag: 'batch', command: 'true' }, 'test');
    expect(byTag.results.map((r) => r.node_id)).toEqual(['ssh-3']);
  });

  it('reuses one pooled connection per node', async () => {
    await core.ssh.run({ node_ids: ['ssh-1', 'ssh-2'], command: 'true' }, 'test');
    const sessionsBefore = core.ssh.pool.size;
    await core.ssh.run({ node_ids: ['ssh-1', 'ssh-2'], command: 'true' }, 'test');
    expect(core.ssh.pool.size).toBe(sessionsBefore);
  });

  it('refuses bad requests by field', async () => {
    await expect(core.ssh.run({ node_ids: ['ssh-1'], command: '' }, 'test')).rejects.toMatchObject({ code: 'validation_error', details: [{ field: 'command' }] });
    await expect(core.ssh.run({ command: 'true' }, 'test')).rejects.toMatchObject({ details: [{ field: 'node_ids', message: 'give exactly one of node_ids, role or tag' }] });
    await expect(core.ssh.run({ node_ids: ['ssh-1', 'nope'], command: 'true' }, 'test')).rejects.toMatchObject({ code: 'not_found', details: [{ field: 'node_ids.1' }] });
  });

  it('kills a command at its timeout and returns within a second of the limit', async () => {
    const marker = `sleep 41.${process.pid}`;
    const started = performance.now();
    const { results } = await core.ssh.run({ node_ids: ['ssh-2'], command: `${marker}`, timeout: 1 }, 'test');
    const elapsed = performance.now() - started;
    expect(results[0]).toMatchObject({ exit_code: null, error: expect.stringContaining('timed out after 1s') });
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(2000);
    // No such process is left on the node (sshd runs on this machine, so we can look).
    const alive = () => {
      try {
        return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim(); // (no shell: its own command line would match)
      } catch {
        return '';
      }
    };
    await expect.poll(alive, { timeout: 3000, interval: 100 }).toBe('');
  });

  it('cancels a running command', async () => {
    const running = core.ssh.run({ node_ids: ['ssh-1', 'ssh-3'], command: 'sleep 20', timeout: 30, run_id: 'cancel-me' }, 'test');
    await new Promise((r) => setTimeout(r, 500));
    expect(core.ssh.cancel('cancel-me')).toBe(true);
    const { results } = await running;
    expect(results.every((r) => r.exit_code === null && /cancelled/.test(r.error ?? ''))).toBe(true);
  });

  it('caps output with a marker where it was cut', async () => {
    const { results } = await core.ssh.run({ node_ids: ['ssh-1'], command: "head -c 400000 /dev/zero | tr '\\0' x" }, 'test');
    expect(results[0].exit_code).toBe(0);
    expect(results[0].stdout.startsWith('x'.repeat(262_144))).toBe(true);
    expect(results[0].stdout).toContain('[… output truncated: 137856 more bytes not kept …]');
  });

  it('reports an authentication failure clearly', async () => {
    const wrongKey = path.join(tempDir(), 'wrong');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    // No two nodes share an address: node 1 gets the wrong key for this check, then its own back.
    const { id } = sshNode(1);
    core.registry.update(id, { ssh: { user: fleet.user, port: fleet.port, key_path: wrongKey } });
    const { results } = await core.ssh.run({ node_ids: [id], command: 'true' }, 'test');
    expect(results[0]).toMatchObject({ exit_code: null });
    expect(results[0].error).toBe(`SSH authentication failed for ${fleet.user}@127.31.0.2:${fleet.port} (tried key ${wrongKey})`);
    core.registry.update(id, { ssh: sshNode(1).ssh });
  });

  it('pins the host key on first use and refuses a changed key until it is forgotten', async () => {
    const original = fleet.hostKeyFingerprint();
    expect(core.ssh.hostKey('ssh-1')).toMatchObject({ fingerprints: [original], source: 'tofu' });
    core.ssh.pool.closeAll();
    core.ssh.metrics.closeAll();
    await fleet.rotateHostKey();
    const rotated = fleet.hostKeyFingerprint();
    const { results } = await core.ssh.run({ node_ids: ['ssh-1'], command: 'true' }, 'test');
    expect(results[0].exit_code).toBeNull();
    expect(results[0].error).toContain('host key');
    expect(results[0].error).toContain(original);
    expect(results[0].error).toContain(rotated);
    expect(core.eventLog.list({ node: 'ssh-1' }).at(-1)).toMatchObject({ kind: 'host_key_changed', to: rotated });
    expect((await core.ssh.run({ node_ids: ['ssh-1'], command: 'true' }, 'test')).results[0].exit_code).toBeNull(); // still refused
    core.ssh.forgetHostKey('ssh-1', 'test');
    expect((await core.ssh.run({ node_ids: ['ssh-1'], command: 'true' }, 'test')).results[0].exit_code).toBe(0);
    expect(core.ssh.hostKey('ssh-1')?.fingerprints).toEqual([rotated]);
    for (const id of ['ssh-2', 'ssh-3']) core.ssh.forgetHostKey(id, 'test');
  });

  it('reads metrics that match the machine, over one long-lived channel', async () => {
    const metrics = await core.ssh.getMetrics('ssh-2');
    expect(metrics.cpu_count).toBe(os.cpus().length);
    expect(Math.abs(metrics.mem_total_mb - os.totalmem() / 1024 / 1024)).toBeLessThan(2);
    expect(metrics.mem_available_mb).toBeGreaterThan(0);
    expect(metrics.mem_available_mb).toBeLessThanOrEqual(metrics.mem_total_mb);
    expect(Math.abs(metrics.uptime_s - os.uptime())).toBeLessThan(5);
    const [load1] = os.loadavg();
    expect(Math.abs(metrics.load_1 - load1)).toBeLessThan(1.5);
    const stat = fs.statfsSync('/');
    expect(Math.abs(metrics.disk_total_gb - (stat.blocks * stat.bsize) / 1024 ** 3)).toBeLessThan(0.5);
    expect(metrics.disk_used_pct).toBeGreaterThan(0);
    // Later polls reuse the open shell: no new sshd session is started for them.
    // Sessions of this fleet only (other suites run their own sshd in parallel): children of its listeners.
    const sessions = () => {
      try {
        return execFileSync('pgrep', ['-P', fleet.pids().join(',')], { encoding: 'utf8' }).trim().split('\n').length;
      } catch {
        return 0;
      }
    };
    const before = sessions();
    expect(before).toBeGreaterThan(0); // the pooled connections are there to be counted
    for (let i = 0; i < 5; i++) await core.ssh.getMetrics('ssh-2');
    expect(sessions()).toBe(before);
    expect(Date.parse(core.ssh.metrics.latest('ssh-2')!.collected_at)).toBeGreaterThan(Date.parse(metrics.collected_at));
  });

  it('suggests nodes by free capacity from live metrics', async () => {
    for (const id of ['ssh-1', 'ssh-2', 'ssh-3']) {
      core.monitor.logEvent({ node: id, kind: 'transition', from: 'unknown', to: 'healthy', reason: 'test' });
      await core.ssh.getMetrics(id);
    }
    // The monitor has not probed these nodes: none is healthy, so none is suggested.
    expect(core.ssh.suggest({ cpu_cores: 1, memory_gb: 0.5 }).candidates).toEqual([]);
    await core.monitor.checkOne('ssh-1'); // default probe: TCP :22 → refused on this address
    expect(core.ssh.suggest({}).rejected.find((r) => r.node_id === 'ssh-1')?.reason).toMatch(/not healthy/);
    core.registry.update('ssh-2', { probes: [{ type: 'tcp', port: fleet.port }] });
    await core.monitor.checkOne('ssh-2');
    // Free CPU is cores minus the 1-minute load, which other tests on this machine move: check the
    // answer against the live figures it was computed from.
    const live = core.ssh.metrics.latest('ssh-2')!;
    const freeCpu = Math.max(0, live.cpu_count - live.load_1);
    const suggestion = core.ssh.suggest({ cpu_cores: 0.01, memory_gb: 0.5 });
    if (freeCpu >= 0.01) {
      expect(suggestion.candidates).toEqual([expect.objectContaining({ node_id: 'ssh-2', source: 'live_metrics' })]);
      expect(suggestion.candidates[0].free_memory_gb).toBeCloseTo(live.mem_available_mb / 1024, 1);
      expect(suggestion.candidates[0].free_cpu_cores).toBeCloseTo(freeCpu, 1);
    } else {
      expect(suggestion.rejected.find((r) => r.node_id === 'ssh-2')?.reason).toMatch(/not enough free capacity/);
    }
    expect(core.ssh.suggest({ cpu_cores: 10_000 }).candidates).toEqual([]);
  });

  it('writes an audit entry for every command', () => {
    const entries = core.ssh.audit.list();
    // Audited before it runs (started), then with its outcome, under the same run id.
    const started = entries.find((e) => e.action === 'run_command' && e.detail.includes('exit 3') && e.outcome.startsWith('started'));
    expect(started?.nodes).toHaveLength(3);
    const runId = /run ([\w-]+)/.exec(started!.outcome)![1];
    expect(entries.some((e) => e.action === 'run_command' && e.outcome === `0/3 exited 0 (run ${runId})`)).toBe(true);
    expect(entries.some((e) => e.action === 'forget_host_key' && e.nodes[0] === 'ssh-1')).toBe(true);
    expect(fs.statSync(path.join(core.dataDir, 'audit.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('probes SSH with authentication where a key is configured', async () => {
    const { checkNode } = await import('../../../src/core/prober/check-node');
    const { NodeSchema } = await import('../../../src/shared/schemas/node');
    const probe = [{ type: 'ssh', port: fleet.port }];
    const withKey = NodeSchema.parse({ ...sshNode(0, { id: 'probe-key' }), probes: probe });
    expect((await checkNode(withKey, 5000)).ok).toBe(true);
    const wrongKey = path.join(tempDir(), 'other');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const badKey = NodeSchema.parse({ ...withKey, ssh: { ...withKey.ssh, key_path: wrongKey } });
    expect(await checkNode(badKey, 5000)).toMatchObject({ ok: false, reason: 'ssh_auth' });
    const handshakeOnly = NodeSchema.parse({ ...withKey, ssh: undefined });
    expect((await checkNode(handshakeOnly, 5000)).ok).toBe(true); // no credentials: the handshake is the check
  });

  it('refuses unknown host keys under the approve policy until a person approves the fingerprint', async () => {
    const strict = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({}), ssh: { metricsIntervalMs: 0, hostKeyPolicy: 'approve' } });
    try {
      strict.registry.create(sshNode(2));
      const refused = (await strict.ssh.run({ node_ids: ['ssh-3'], command: 'true' }, 'test')).results[0];
      expect(refused.error).toContain(`SSH host key ${fleet.hostKeyFingerprint()} of ssh-3 is not approved yet`);
      expect(strict.ssh.hostKey('ssh-3')).toBeNull();
      strict.ssh.approveHostKey('ssh-3', [fleet.hostKeyFingerprint()], 'test');
      expect((await strict.ssh.run({ node_ids: ['ssh-3'], command: 'true' }, 'test')).results[0].exit_code).toBe(0);
      expect(strict.ssh.hostKey('ssh-3')?.source).toBe('approved');
    } finally {
      await strict.close();
    }
  });
});
