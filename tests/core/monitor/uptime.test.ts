import { afterAll, describe, expect, it } from 'vitest';
import { ClusterMonitor } from '../../../src/core/monitor/cluster-monitor';
import { EventLog } from '../../../src/core/monitor/event-log';
import { LatencyHistory } from '../../../src/core/monitor/latency-history';
import { confStoreFactory } from '../../../src/core/registry/json-store';
import { NodeRegistry } from '../../../src/core/registry/node-registry';
import { FleetSimulator } from '../../../src/core/simulator/fleet-simulator';
import { MonitorSettingsSchema } from '../../../src/shared/schemas/settings';
import { tempDir } from '../../helpers/temp-dir';

// Uptime on a compressed clock: one real probe per simulated minute against a simulated node on
// loopback, with a scripted outage of 6 of 60 minutes.
const MINUTE = 60_000;
const IPS = ['127.56.1.1', '127.56.1.2'];
let sim: FleetSimulator;
afterAll(async () => sim?.stop());

describe('uptime', () => {
  it('reads 90 % for a node down 6 of 60 minutes; maintenance is not downtime; the counts survive a restart', async () => {
    sim = await new FleetSimulator(IPS.map((ip) => ({ ip, http_port: 8080, behaviour: 'healthy' as const }))).start();
    const dataDir = tempDir();
    const registry = new NodeRegistry({ dataDir, storeFactory: confStoreFactory });
    IPS.forEach((ip, i) => registry.create({ id: `u-${i + 1}`, hostname: `u-${i + 1}`, tailscale_ip: ip, role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'http', port: 8080 }] }));
    let clock = Date.UTC(2026, 10, 24, 10, 0, 0);
    const monitor = new ClusterMonitor({ registry, eventLog: new EventLog(), settings: MonitorSettingsSchema.parse({ timeout_s: 0.5 }), now: () => clock });

    let pushedStrip: string | undefined;
    for (let minute = 0; minute < 60; minute++) {
      await sim.set(IPS[0], minute >= 20 && minute < 26 ? 'refusing' : 'healthy');
      // Deltas are built for listeners only: one listens for the sweep that ends the 30th minute.
      const stop = minute === 29 ? monitor.events.on('health', (deltas) => (pushedStrip = deltas.find((d) => d.id === 'u-1')?.health.recent)) : () => {};
      await monitor.sweep();
      stop();
      clock += MINUTE;
    }
    expect(pushedStrip).toBe('1'.repeat(20) + '0'.repeat(6) + '1'.repeat(4));
    // An hour of checks: each window says it covers that hour only (issue 40, item 9).
    const hour = { h24_span_s: 3600, d7_span_s: 3600, d30_span_s: 3600 };
    expect(monitor.uptimeOf('u-1')).toEqual({ h24: 0.9, d7: 0.9, d30: 0.9, ...hour });
    expect(monitor.uptimeOf('u-2')).toEqual({ h24: 1, d7: 1, d30: 1, ...hour });
    expect(monitor.nodeWithHealth('u-1').uptime).toEqual({ h24: 0.9, d7: 0.9, d30: 0.9, ...hour });
    expect(monitor.healthOf('u-1').uptime_24h).toBe(0.9);
    expect(monitor.healthOf('u-1').recent).toBe('1'.repeat(30)); // the strip: the last 30 checks
    expect(monitor.status().uptime).toEqual({ h24: 0.95, d7: 0.95, d30: 0.95, ...hour });

    // An hour in maintenance, with the node down all along: not probed, so not downtime.
    registry.update('u-1', { maintenance: true });
    await sim.set(IPS[0], 'refusing');
    for (let minute = 0; minute < 60; minute++) {
      await monitor.sweep();
      clock += MINUTE;
    }
    expect(monitor.uptimeOf('u-1').h24).toBe(0.9);

    // Outside the window: 25 hours later the 24 h figure has nothing left, 7 d still has it.
    clock += 25 * 60 * MINUTE;
    // 27 hours since the first check: the 24 h window is full (and empty), the others cover 27 hours.
    expect(monitor.uptimeOf('u-1')).toEqual({ h24: null, d7: 0.9, d30: 0.9, h24_span_s: 86_400, d7_span_s: 27 * 3600, d30_span_s: 27 * 3600 });

    const restored = LatencyHistory.deserialize(monitor.historyOf('u-1')!.serialize())!;
    expect(restored.uptimeCounts(7 * 24 * 60 * MINUTE, clock)).toEqual({ up: 54, down: 6 });
    monitor.dispose();
  }, 60_000);
});

describe('the 1 h history at a long interval', () => {
  it('keeps at least the last 60 checks: 65 manual checks at a 1 h interval leave 60 points, also after a restart', async () => {
    const ip = '127.56.2.1';
    const fleet = await new FleetSimulator([{ ip, http_port: 8080, behaviour: 'healthy' as const }]).start();
    try {
      const registry = new NodeRegistry({ dataDir: tempDir(), storeFactory: confStoreFactory });
      registry.create({ id: 'h-1', hostname: 'h-1', tailscale_ip: ip, role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'http', port: 8080 }] });
      let clock = Date.UTC(2026, 11, 4, 10, 0, 0);
      const monitor = new ClusterMonitor({ registry, eventLog: new EventLog(), settings: MonitorSettingsSchema.parse({ interval_s: 3600, timeout_s: 1 }), now: () => clock });
      for (let i = 0; i < 65; i++) {
        await monitor.checkOne('h-1');
        clock += 20_000; // 65 checks in about 22 minutes: all inside the hour
      }
      const points = monitor.history('h-1', 60 * MINUTE);
      expect(points.length).toBe(60);
      expect(points.every((p) => p.ok)).toBe(true);
      expect(points[59].t - points[0].t).toBe(59 * 20_000); // the newest 60, in order

      // A history saved with a one-check ring (an older version at a 1 h interval) grows on restore.
      const tiny = new LatencyHistory(1);
      tiny.record(clock - 1000, 5);
      const grown = tiny.withRawCapacity(60);
      grown.record(clock, 6);
      expect(grown.points(60 * MINUTE, clock).map((p) => p.latency_ms)).toEqual([5, 6]);
      monitor.restoreState({ last_sweep_at: null, nodes: {} }, () => tiny);
      expect(monitor.historyOf('h-1')!.rawCapacity).toBe(60);
      monitor.dispose();
    } finally {
      await fleet.stop();
    }
  }, 60_000);
});
