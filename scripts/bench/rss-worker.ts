// Core RSS with N nodes (argv, default 1,000) and 24 h of history at the default 15 s interval (5,760
// checks a node), swept back to back, then 40 paced sweeps; about 2.5 + 1.5 minutes for 5,000 nodes.
import { ClusterMonitor } from '../../src/core/monitor/cluster-monitor';
import { NodeRegistry } from '../../src/core/registry/node-registry';
import { memoryStoreFactory } from '../../src/core/registry/json-store';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import type { NodeCheckResult } from '../../src/core/prober/check-node';

const count = Number(process.argv[2] ?? 1000);
const interval = 15_000;
const day = 24 * 3600_000;
let now = Date.now() - day;
const registry = new NodeRegistry({ dataDir: '/nonexistent', storeFactory: memoryStoreFactory });
registry.applyNodes(
  Array.from({ length: count }, (_, i) => ({
    id: `node-${i}`, hostname: `host-${i}.example-tailnet.ts.net`, tailscale_ip: `127.60.${Math.floor(i / 250)}.${1 + (i % 250)}`, role: 'worker' as const,
    description: 'benchmark node', cpu_cores: 8, memory_gb: 32, tags: ['bench', 'production'], probes: [], maintenance: false,
  })),
);
// A checker that answers at once, so the run measures memory, not the network.
const checker = async (): Promise<NodeCheckResult> => ({
  ok: Math.random() > 0.02, latency_ms: 1 + Math.random() * 20, error: null, reason: null, checked_at: new Date(now).toISOString(),
  probes: [{ type: 'tcp', target: 'tcp://x:22', ok: true, latency_ms: 1, reason: null, error: null }],
});
const monitor = new ClusterMonitor({ registry, checker, now: () => now, settings: MonitorSettingsSchema.parse({ interval_s: 15 }) });
// The compressed day has no idle time between sweeps, so its garbage piles up as a real run's does
// not; its peak is printed beside the settled figure.
let peak = 0;
for (let t = 0, sweeps = 0; t < day; t += interval, sweeps++) {
  now += interval;
  await monitor.sweep();
  if (sweeps % 60 === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
// Then paced as a service runs (a sweep every 2 s, still 7 times the default rate), which gives V8
// the idle time its memory reducer needs: the highest RSS of the last 20 of 40 such sweeps.
let paced = 0;
for (let i = 0; i < 40; i++) {
  await new Promise((r) => setTimeout(r, 2000));
  now += interval;
  await monitor.sweep();
  if (i >= 20) paced = Math.max(paced, process.memoryUsage().rss);
}
// Settled: V8 frees a collected page only at a later collection, and returns it to the system from
// a background thread, so one collection and a moment each, twice.
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
for (let i = 0; i < 2; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 1000));
}
const mem = process.memoryUsage();
console.log(JSON.stringify({ rss_mb: mem.rss / 1024 / 1024, peak_rss_mb: peak / 1024 / 1024, paced_rss_mb: paced / 1024 / 1024, heap_mb: mem.heapUsed / 1048576, array_buffers_mb: mem.arrayBuffers / 1048576, points: monitor.history('node-1', day).length, events: monitor.eventLog.list({ limit: 1e9 }).length }));
process.exit(0);
