import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../../src/core/monitor/event-log';
import type { HealthEvent } from '../../../src/shared/schemas/health';
import { monitoredFleet } from '../../helpers/monitored-fleet';
import { ClusterMonitor } from '../../../src/core/monitor/cluster-monitor';
import { checkNode } from '../../../src/core/prober/check-node';
import { MonitorSettingsSchema } from '../../../src/shared/schemas/settings';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanups.splice(0)) await close();
});

async function fleet(...args: Parameters<typeof monitoredFleet>) {
  const f = await monitoredFleet(...args);
  cleanups.push(f.close);
  const events: HealthEvent[] = [];
  f.monitor.events.on('event', (e) => events.push(e));
  return { ...f, events };
}

const transitions = (events: HealthEvent[]) => events.filter((e) => e.kind === 'transition').map((e) => `${e.node}:${e.from}->${e.to}`);

describe('ClusterMonitor', () => {
  it('turns sweeps into states and events with the thresholds, and no event for a blip', async () => {
    const f = await fleet([{ behaviour: 'healthy' }, { behaviour: 'healthy' }, { behaviour: 'healthy' }, { behaviour: 'healthy' }], 30);
    expect(f.monitor.status().state).toBe('unknown');
    await f.monitor.sweep();
    expect(f.monitor.status()).toMatchObject({ state: 'healthy', healthy_nodes: 4, availability: 100 });
    expect(transitions(f.events)).toHaveLength(4);
    f.events.length = 0;

    // A blip: one failed sweep, then fine again.
    await f.sim.set(f.ipOf(1), 'http_5xx');
    await f.monitor.sweep();
    expect(f.monitor.stateOf('node-2')).toBe('degraded');
    expect(f.monitor.status().state).toBe('degraded');
    await f.sim.set(f.ipOf(1), 'healthy');
    await f.monitor.sweep();
    expect(f.monitor.stateOf('node-2')).toBe('healthy');
    expect(f.events).toEqual([]);

    // A real outage: two failures make it unhealthy, with the reason; two successes bring it back.
    await f.sim.set(f.ipOf(1), 'refusing');
    await f.monitor.sweep();
    await f.monitor.sweep();
    expect(f.monitor.stateOf('node-2')).toBe('unhealthy');
    expect(f.events.at(-1)).toMatchObject({ node: 'node-2', from: 'healthy', to: 'unhealthy', kind: 'transition' });
    expect(f.events.at(-1)!.reason).toMatch(/connection refused/);
    expect(f.monitor.status()).toMatchObject({ state: 'degraded', unhealthy_nodes: 1, availability: 75, down_node_ids: ['node-2'] });
    await f.sim.set(f.ipOf(1), 'healthy');
    await f.monitor.sweep();
    expect(f.monitor.stateOf('node-2')).toBe('unhealthy');
    await f.monitor.sweep();
    expect(f.monitor.stateOf('node-2')).toBe('healthy');
    expect(transitions(f.events)).toEqual(['node-2:healthy->unhealthy', 'node-2:unhealthy->healthy']);
  });

  it('reports critical when a master is down or half the nodes are', async () => {
    const f = await fleet([{ behaviour: 'refusing', role: 'master' }, { behaviour: 'healthy' }, { behaviour: 'healthy' }, { behaviour: 'healthy' }], 31);
    await f.monitor.sweep();
    await f.monitor.sweep();
    expect(f.monitor.status()).toMatchObject({ state: 'critical', by_role: { master: { total: 1, unhealthy: 1 } } });
    await f.sim.set(f.ipOf(0), 'healthy');
    await f.sim.set(f.ipOf(1), 'refusing');
    await f.sim.set(f.ipOf(2), 'refusing');
    await f.monitor.sweep();
    await f.monitor.sweep();
    expect(f.monitor.status()).toMatchObject({ state: 'critical', unhealthy_nodes: 2 });
  });

  it('blames itself, once, when nearly every healthy node fails in one sweep', async () => {
    const f = await fleet(Array.from({ length: 10 }, () => ({ behaviour: 'healthy' as const })), 32);
    await f.monitor.sweep();
    f.events.length = 0;
    await Promise.all([...Array(10).keys()].map((i) => f.sim.set(f.ipOf(i), 'refusing')));
    await f.monitor.sweep();
    await f.monitor.sweep();
    await f.monitor.sweep();
    expect(f.events.map((e) => e.kind)).toEqual(['monitor_offline']);
    expect(f.events[0].reason).toMatch(/10 of 10 healthy nodes failed/);
    expect(f.monitor.status()).toMatchObject({ healthy_nodes: 10, unhealthy_nodes: 0, monitor: { offline: true } });
    await f.sim.set(f.ipOf(0), 'healthy');
    await f.monitor.sweep();
    expect(f.events.map((e) => e.kind)).toEqual(['monitor_offline', 'monitor_online']);
    expect(f.monitor.status().monitor.offline).toBe(false);
  });

  it('bounds a sweep with hanging nodes by the timeout', async () => {
    const f = await fleet(
      Array.from({ length: 40 }, (_, i) => ({ behaviour: i % 4 === 0 ? ('hanging' as const) : i % 4 === 1 ? ('slowloris' as const) : ('healthy' as const) })),
      33,
      { timeout_s: 1 },
    );
    const started = performance.now();
    await f.monitor.sweep();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1500);
    expect(f.monitor.lastCheck('node-1')?.reason).toBe('timeout_headers');
    expect(f.monitor.lastCheck('node-2')?.reason).toBe('timeout_body');
    expect(f.monitor.stateOf('node-3')).toBe('healthy');
  });

  it('starts the nodes that timed out last time first, so they do not push the sweep past one timeout', async () => {
    // Six nodes answering after 250 ms and one that hangs, three checks at a time, a 1 s timeout.
    const f = await fleet([...Array.from({ length: 6 }, () => ({ behaviour: 'slow' as const, spec: { slow_ms: 250 } })), { behaviour: 'hanging' as const }], 39);
    const started: string[] = [];
    const monitor = new ClusterMonitor({
      registry: f.registry,
      settings: MonitorSettingsSchema.parse({ timeout_s: 1, concurrency: 3, jitter: 0 }),
      checker: (node, budgetMs) => (started.push(node.id), checkNode(node, budgetMs)),
    });
    cleanups.push(async () => monitor.dispose());
    const reported: string[][] = [];
    monitor.events.on('health', (deltas) => reported.push(deltas.map((d) => d.id)));
    const ids = ['node-1', 'node-2', 'node-3', 'node-4', 'node-5', 'node-6', 'node-7'];
    const timed = async () => {
      const t0 = performance.now();
      await monitor.sweep();
      return performance.now() - t0;
    };

    // First sweep, in registry order: the hanging node starts last, after two rounds of slow answers.
    const first = await timed();
    expect(started).toEqual(ids);
    expect(monitor.lastCheck('node-7')?.reason).toBe('timeout_headers');
    started.length = 0;
    // Next sweep: it starts first and times out while the others are checked beside it.
    const second = await timed();
    expect(started[0]).toBe('node-7');
    expect(second).toBeLessThan(first);
    expect(reported).toEqual([ids, ids]); // results still come out in registry order
    expect(monitor.stateOf('node-3')).toBe('healthy');
  });

  it('skips nodes in maintenance and holds back alerts during the resume grace period', async () => {
    const f = await fleet([{ behaviour: 'healthy' }, { behaviour: 'healthy' }, { behaviour: 'healthy' }, { behaviour: 'refusing' }], 34, { resume_grace_s: 60 });
    f.registry.update('node-4', { maintenance: true });
    await f.monitor.sweep();
    expect(f.monitor.stateOf('node-4')).toBe('maintenance');
    expect(f.monitor.lastCheck('node-4')).toBeNull();
    expect(f.monitor.status()).toMatchObject({ state: 'healthy', maintenance_nodes: 1, availability: 100 });

    f.monitor.notifyResumeFromSleep();
    await f.sim.set(f.ipOf(0), 'refusing');
    await f.monitor.sweep();
    await f.monitor.sweep();
    expect(f.monitor.stateOf('node-1')).toBe('healthy');
    expect(f.monitor.status().monitor.in_grace).toBe(true);
    expect(transitions(f.events).filter((t) => t.includes('unhealthy'))).toEqual([]);
  });

  it('checks one node now, runs on its interval without overlapping, pauses and resumes', async () => {
    const f = await fleet([{ behaviour: 'healthy' }, { behaviour: 'hanging' }], 35, { interval_s: 0.1, timeout_s: 0.3 });
    const check = await f.monitor.checkOne('node-1');
    expect(check).toMatchObject({ node_id: 'node-1', status: 'healthy', monitor_state: 'healthy' });
    let concurrent = 0;
    let maxConcurrent = 0;
    let sweeps = 0;
    const original = f.monitor.sweep.bind(f.monitor);
    f.monitor.sweep = async () => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      try {
        return await original();
      } finally {
        concurrent--;
        sweeps++;
      }
    };
    f.monitor.start();
    await new Promise((r) => setTimeout(r, 1300));
    f.monitor.pause();
    const pausedAt = sweeps;
    expect(f.monitor.status().monitor.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(sweeps - pausedAt).toBeLessThanOrEqual(1); // at most the sweep already in flight
    f.monitor.resume();
    await new Promise((r) => setTimeout(r, 600));
    expect(sweeps).toBeGreaterThan(pausedAt + 1);
    expect(maxConcurrent).toBe(1);
    expect(sweeps).toBeGreaterThanOrEqual(4);
  });

  it('persists the event log with a cap and keeps latency history', async () => {
    const f = await fleet([{ behaviour: 'healthy' }, { behaviour: 'healthy' }], 36);
    await f.monitor.sweep();
    await f.monitor.sweep();
    const reopened = new EventLog({ dataDir: f.dataDir });
    expect(reopened.list().map((e) => e.node)).toEqual(['node-1', 'node-2']);
    const history = f.monitor.history('node-1', 3600_000);
    expect(history).toHaveLength(2);
    expect(history.every((p) => p.ok && p.latency_ms! > 0)).toBe(true);
    const day = f.monitor.history('node-1', 24 * 3600_000);
    expect(day).toHaveLength(1);

    const capped = new EventLog({ dataDir: f.dataDir, cap: 5 });
    for (let i = 0; i < 20; i++) capped.append({ node: 'x', kind: 'transition', from: 'a', to: 'b', reason: String(i) });
    const again = new EventLog({ dataDir: f.dataDir, cap: 5 });
    expect(again.list().map((e) => e.reason)).toEqual(['15', '16', '17', '18', '19']);
    expect(again.list().at(-1)!.seq).toBe(22);
  });
});
