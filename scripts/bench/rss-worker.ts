// Core RSS with N nodes (argv, default 1,000) and 24 h of history at the default 15 s interval (5,760 checks a node).
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
for (let t = 0; t < day; t += interval) {
  now += interval;
  await monitor.sweep();
}
(globalThis as { gc?: () => void }).gc?.();
await new Promise((r) => setTimeout(r, 100));
const mem = process.memoryUsage();
console.log(JSON.stringify({ rss_mb: mem.rss / 1024 / 1024, heap_mb: mem.heapUsed / 1048576, array_buffers_mb: mem.arrayBuffers / 1048576, points: monitor.history('node-1', day).length, events: monitor.eventLog.list({ limit: 1e9 }).length }));
process.exit(0);
