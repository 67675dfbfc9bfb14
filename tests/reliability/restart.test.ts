import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/app-core';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { caller, TEST_TOKEN, type Caller } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';

// The real service, stopped and started again on the same data dir, as an operator would: settings,
// latency history and node states survive; the restart is logged once; no transition noise follows.
const ROOT = path.resolve(import.meta.dirname, '../..');
const IPS = ['127.56.0.1', '127.56.0.2', '127.56.0.3', '127.56.0.4'];
let sim: FleetSimulator;
let dataDir: string;
const running: ChildProcess[] = [];

async function startServe(): Promise<{ child: ChildProcess; call: Caller; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/mcp-orchestrator.mjs'), 'serve'], {
    cwd: ROOT,
    // HEALTH_CHECK_TIMEOUT comes from the environment: it wins over a saved value at every start.
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, API_TOKEN: TEST_TOKEN, HEALTH_CHECK_TIMEOUT: '1.5', METRICS_INTERVAL: '3600' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const started = Date.now();
  while (!/Address:\s+(http:\/\/\S+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`serve exited:\n${output}`);
    if (Date.now() - started > 60_000) throw new Error(`serve did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, call: caller(/Address:\s+(http:\/\/\S+)/.exec(output)![1]), exited };
}

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 45_000) => {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('restart: what the operator set and saw survives', () => {
  beforeAll(async () => {
    sim = await new FleetSimulator(IPS.map((ip, i) => ({ ip, http_port: 8080, behaviour: i === 3 ? ('refusing' as const) : ('healthy' as const) }))).start();
    dataDir = tempDir();
  });
  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await sim?.stop();
  });

  it('keeps settings, history and states across a clean restart and a SIGKILL, logging each restart once', async () => {
    let service = await startServe();
    for (const [i, ip] of IPS.entries()) {
      const body = { id: `r-${i + 1}`, hostname: `r-${i + 1}`, tailscale_ip: ip, role: i === 0 ? 'master' : 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'http', port: 8080 }] };
      expect((await service.call('POST', '/cluster/nodes', { body })).status).toBe(201);
    }
    // A partial update changes only the fields sent.
    const before = (await service.call('GET', '/cluster/settings')).body;
    const changed = await service.call('PUT', '/cluster/settings', { body: { interval_s: 1.5 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...before, interval_s: 1.5 });
    expect((await service.call('PUT', '/cluster/settings', { body: { failure_threshold: 3 } })).body).toEqual({ ...before, interval_s: 1.5, failure_threshold: 3 });
    await until('r-4 down and six sweeps of history', async () => {
      const nodes = (await service.call('GET', '/cluster/nodes')).body.nodes as Array<{ id: string; health: { status: string } }>;
      const history = (await service.call('GET', '/cluster/nodes/r-1/history?range=1h')).body;
      return nodes.find((n) => n.id === 'r-4')?.health.status === 'unhealthy' && (history.points ?? history).length >= 6;
    });
    const historyBefore = ((await service.call('GET', '/cluster/nodes/r-1/history?range=1h')).body.points ?? []).length;
    const lastSeqBefore = Math.max(...(await service.call('GET', '/cluster/events?limit=1000')).body.events.map((e: { seq: number }) => e.seq));

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);

    // Between runs, the saved states read as "last known".
    const offline = createCore({ dataDir, settings: MonitorSettingsSchema.parse({}), log: () => {} });
    expect(offline.monitor.healthOf('r-1')).toMatchObject({ status: 'healthy', last_known: true });
    expect(offline.monitor.healthOf('r-4')).toMatchObject({ status: 'unhealthy', last_known: true });
    expect(offline.monitor.status().state).toBe('degraded');
    await offline.close();

    service = await startServe();
    expect((await service.call('GET', '/cluster/settings')).body).toMatchObject({ interval_s: 1.5, failure_threshold: 3, timeout_s: 1.5 });
    expect((await service.call('GET', '/cluster/settings/sources')).body).toMatchObject({ interval_s: 'saved', failure_threshold: 'saved', timeout_s: 'environment', recovery_threshold: 'default' });
    // Let several sweeps run: a node healthy (or down) before and after makes no new transition.
    await new Promise((r) => setTimeout(r, 4500));
    const after = (await service.call('GET', '/cluster/events?limit=1000')).body.events.filter((e: { seq: number }) => e.seq > lastSeqBefore);
    expect(after.map((e: { kind: string }) => e.kind)).toEqual(['monitor_stopped', 'monitor_started']);
    expect(after[1].reason).toMatch(/had been stopped since/);
    const nodes = (await service.call('GET', '/cluster/nodes')).body.nodes as Array<{ id: string; health: { status: string; last_known?: boolean } }>;
    expect(nodes.map((n) => [n.id, n.health.status, n.health.last_known ?? false])).toEqual([['r-1', 'healthy', false], ['r-2', 'healthy', false], ['r-3', 'healthy', false], ['r-4', 'unhealthy', false]]);
    const historyAfter = ((await service.call('GET', '/cluster/nodes/r-1/history?range=1h')).body.points ?? []).length;
    // Uptime comes from the same persisted history: r-4 was down all along, r-1 never.
    expect((await service.call('GET', '/cluster/nodes/r-4')).body.uptime).toMatchObject({ h24: 0, d7: 0, d30: 0 });
    expect((await service.call('GET', '/cluster/nodes/r-1')).body.uptime).toMatchObject({ h24: 1, d7: 1, d30: 1 });
    expect((await service.call('GET', '/cluster/status')).body.uptime.h24).toBeCloseTo(0.75, 1);
    expect(historyAfter).toBeGreaterThan(historyBefore);

    // A SIGKILL leaves no stop event; the next start says the run ended without a clean stop.
    service.child.kill('SIGKILL');
    await service.exited;
    service = await startServe();
    const events = (await service.call('GET', '/cluster/events?limit=1000')).body.events as Array<{ kind: string; reason: string }>;
    expect(events.at(-1)).toMatchObject({ kind: 'monitor_started' });
    expect(events.at(-1)!.reason).toMatch(/ended without a clean stop/);
    service.child.kill('SIGTERM');
    await service.exited;
    console.log(`[restart] history points of r-1: ${historyBefore} before, ${historyAfter} after; events after the clean restart: ${after.map((e: { kind: string }) => e.kind).join(', ')}`);
  }, 120_000);
});
