import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterMonitor } from '../../../src/core/monitor/cluster-monitor';
import { EventLog } from '../../../src/core/monitor/event-log';
import { HISTORY_FILE, MonitorPersistence } from '../../../src/core/monitor/monitor-persistence';
import { memoryStoreFactory } from '../../../src/core/registry/json-store';
import { NodeRegistry } from '../../../src/core/registry/node-registry';
import { MonitorSettingsSchema } from '../../../src/shared/schemas/settings';
import { tempDir } from '../../helpers/temp-dir';

// Issue 32, finding 11: the periodic history save (hundreds of MB at 5,000 nodes) no longer holds the
// event loop: it is written node by node with awaits, and never replaces a newer save.
function fleet(count: number, latency: number) {
  const registry = new NodeRegistry({ dataDir: '/nonexistent', storeFactory: memoryStoreFactory });
  for (let i = 0; i < count; i++) registry.create({ id: `h-${i}`, hostname: `h-${i}`, tailscale_ip: `127.67.${Math.floor(i / 250)}.${1 + (i % 250)}`, role: 'worker', cpu_cores: 1, memory_gb: 1 });
  const monitor = new ClusterMonitor({ registry, eventLog: new EventLog(), settings: MonitorSettingsSchema.parse({ interval_s: 5 }) });
  const t = Date.now();
  for (let i = 0; i < count; i++) for (let k = 0; k < 50; k++) monitor.historyOf(`h-${i}`)!.record(t - k * 5000, latency);
  return monitor;
}

describe('the latency history on disk', () => {
  it('is saved in the background, the event loop turning meanwhile, and restores whole', async () => {
    const dataDir = tempDir();
    const monitor = fleet(400, 7);
    const persistence = new MonitorPersistence({ dataDir, monitor, log: () => {} });
    let turns = 0;
    let turning = true;
    const spin = () => turning && (turns++, setImmediate(spin));
    spin();
    const saving = persistence.saveHistoryInBackground();
    expect(fs.existsSync(path.join(dataDir, HISTORY_FILE))).toBe(false); // nothing written synchronously
    expect(persistence.saveHistoryInBackground()).toBe(saving); // one at a time
    await saving;
    turning = false;
    expect(turns).toBeGreaterThan(20); // the loop kept turning while 400 histories were written
    const restored = fleet(400, 1);
    new MonitorPersistence({ dataDir, monitor: restored, log: () => {} });
    expect(restored.historyOf('h-399')!.points(3600_000).map((p) => p.latency_ms)).toEqual(monitor.historyOf('h-399')!.points(3600_000).map((p) => p.latency_ms));
    persistence.dispose();
  });

  it('a background save that finishes after a save at stop does not replace it', async () => {
    const dataDir = tempDir();
    const monitor = fleet(200, 3);
    const persistence = new MonitorPersistence({ dataDir, monitor, log: () => {} });
    const older = persistence.saveHistoryInBackground();
    for (let i = 0; i < 200; i++) monitor.historyOf(`h-${i}`)!.record(Date.now(), 99);
    persistence.save({ cleanStop: true, withHistory: true }); // at stop: written at once
    await older;
    const restored = fleet(200, 1);
    new MonitorPersistence({ dataDir, monitor: restored, log: () => {} });
    expect(restored.historyOf('h-0')!.points(3600_000).at(-1)!.latency_ms).toBe(99);
    persistence.dispose();
  });
});
