import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ClusterMonitor } from '../../src/core/monitor/cluster-monitor';
import { NodeRegistry } from '../../src/core/registry/node-registry';
import { memoryStoreFactory } from '../../src/core/registry/json-store';
import type { NodeCheckResult } from '../../src/core/prober/check-node';
import { AlertPolicy } from '../../src/core/alerts/alert-policy';
import type { HealthEvent } from '../../src/shared/schemas/health';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';

// A compressed long run: 1,000 nodes, 10 % flapping, sweeps back to back on a fake clock (15 s apart).
// `npm run soak` runs it long (SOAK_SWEEPS); `npm test` runs a short version.
const SWEEPS = Number(process.env.SOAK_SWEEPS ?? 600);
const NODES = 1000;
const INTERVAL_MS = 15_000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('soak: 1,000 nodes, 10 % flapping', () => {
  it('keeps memory flat, notifies once per transition, and loses or repeats no event', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const registry = new NodeRegistry({ dataDir: '/nonexistent', storeFactory: memoryStoreFactory });
    registry.applyNodes(Array.from({ length: NODES }, (_, i) => ({ id: `n-${i}`, hostname: `n-${i}`, tailscale_ip: `127.61.${128 + (i >> 8)}.${i & 255}`, role: 'worker' as const, description: '', cpu_cores: 1, memory_gb: 1, tags: [], probes: [], maintenance: false })));
    // Flapping node i: down for d sweeps, up for u sweeps (2–6 each), from a per-node phase. Every
    // 50th stable node blips: one failed check now and then, which must never raise an event.
    const pattern = new Map<string, { d: number; u: number; phase: number }>();
    for (let i = 0; i < NODES; i += 10) pattern.set(`n-${i}`, { d: 2 + (i % 5), u: 2 + ((i * 7) % 5), phase: i % 11 });
    let sweep = 0;
    const okAt = (id: string, s: number): boolean => {
      const p = pattern.get(id);
      if (p) return (s + p.phase) % (p.d + p.u) >= p.d;
      return !(Number(id.slice(2)) % 50 === 1 && s % 37 === 5);
    };
    const checker = async (node: { id: string }): Promise<NodeCheckResult> => {
      const ok = okAt(node.id, sweep);
      return { ok, latency_ms: ok ? 1 : null, error: ok ? null : 'connection refused', reason: ok ? null : 'refused', checked_at: new Date(now).toISOString(), probes: [] };
    };
    const monitor = new ClusterMonitor({ registry, checker, now: () => now, settings: MonitorSettingsSchema.parse({ interval_s: 15, failure_threshold: 2, recovery_threshold: 2 }) });

    // Independent model of the thresholds, to know how many transitions there must be.
    const model = new Map<string, { settled: string; fails: number; oks: number }>();
    let expectedAlerts = 0;
    const modelStep = (id: string, ok: boolean) => {
      const m = model.get(id) ?? { settled: 'unknown', fails: 0, oks: 0 };
      m.fails = ok ? 0 : m.fails + 1;
      m.oks = ok ? m.oks + 1 : 0;
      if (!ok && m.fails >= 2 && m.settled !== 'unhealthy') {
        m.settled = 'unhealthy';
        expectedAlerts++;
      } else if (ok && m.settled === 'unhealthy' && m.oks >= 2) {
        m.settled = 'healthy';
        expectedAlerts++;
      } else if (ok && m.settled === 'unknown') m.settled = 'healthy';
      model.set(id, m);
    };

    // Checked as events arrive, so the test itself keeps nothing that grows.
    let lastSeq: number | null = null;
    let gapsOrRepeats = 0;
    let received = 0;
    let transitions = 0;
    let blipEvents = 0;
    let notified = 0;
    const timers: Array<() => void> = [];
    const policy = new AlertPolicy({
      nodeOf: (id) => registry.get(id),
      now: () => now,
      setTimer: (fn) => timers.push(fn),
      clearTimer: () => {},
      show: (notice) => (notified += Number(/^(\d+) nodes/.exec(notice.title)?.[1] ?? 1)),
    });
    monitor.events.on('event', (event: HealthEvent) => {
      received++;
      if (lastSeq !== null && event.seq !== lastSeq + 1) gapsOrRepeats++;
      lastSeq = event.seq;
      if (event.kind === 'transition' && (event.to === 'unhealthy' || event.from === 'unhealthy')) transitions++;
      // A blip under the threshold raises no event: stable nodes only ever go unknown → healthy.
      if (event.node && !pattern.has(event.node) && !(event.from === 'unknown' && event.to === 'healthy')) blipEvents++;
      policy.onEvent(event);
    });

    const samples: Array<[number, number]> = [];
    for (sweep = 0; sweep < SWEEPS; sweep++) {
      for (const node of registry.all()) modelStep(node.id, okAt(node.id, sweep));
      await monitor.sweep();
      timers.splice(0).forEach((fire) => fire()); // the grouping window ends between sweeps
      now += INTERVAL_MS;
      if (sweep % Math.max(1, Math.floor(SWEEPS / 20)) === 0 && sweep >= SWEEPS * 0.3) {
        gc();
        samples.push([sweep, process.memoryUsage().heapUsed]);
      }
    }

    // Memory: least-squares slope of heap after GC over the second 70 % of the run.
    const n = samples.length;
    const mx = samples.reduce((a, [x]) => a + x, 0) / n;
    const my = samples.reduce((a, [, y]) => a + y, 0) / n;
    const slope = samples.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / samples.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    console.log(
      `[soak] ${SWEEPS} sweeps × ${NODES} nodes; heap slope ${(slope * 1000 / 1024).toFixed(1)} KiB per 1,000 sweeps ` +
        `(heap ${(my / 1048576).toFixed(1)} MiB); transitions after thresholds ${transitions}, expected ${expectedAlerts}, notified ${notified}; events ${received}, gaps or repeats ${gapsOrRepeats}`,
    );

    expect(transitions).toBe(expectedAlerts);
    expect(notified).toBe(expectedAlerts);
    expect(gapsOrRepeats).toBe(0);
    expect(received).toBe(monitor.eventLog.list({ limit: 1 })[0].seq); // every logged event reached the subscriber
    expect(blipEvents).toBe(0);
    expect(Math.abs(slope) * 1000).toBeLessThan(512 * 1024); // < 0.5 MiB per 1,000 sweeps of 1,000 nodes
  }, 600_000);
});
