// Runs inside its own process: a bare undici loop (baseline) and our monitor sweeping the same
// same endpoints, alternately, and prints wall and CPU time of each as JSON.
import { Agent, request } from 'undici';
import { ClusterMonitor } from '../../src/core/monitor/cluster-monitor';
import { NodeRegistry } from '../../src/core/registry/node-registry';
import { loopbackAddress } from '../../src/core/simulator/fleet-simulator';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { memoryStoreFactory } from '../../src/core/registry/json-store';

const [count, block, timeoutS, rounds] = process.argv.slice(2).map(Number);
const timeoutMs = timeoutS * 1000;
const urls = Array.from({ length: count }, (_, i) => `http://${loopbackAddress(i, block)}:8080/health`);

async function baselineSweep(agent: Agent): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      try {
        const res = await request(url, { dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
        for await (const _chunk of res.body);
      } catch {
        /* hanging endpoints time out */
      }
    }),
  );
}

const registry = new NodeRegistry({ dataDir: '/nonexistent', storeFactory: memoryStoreFactory });
registry.applyNodes(
  urls.map((_, i) => ({
    id: `n-${i}`, hostname: `n-${i}`, tailscale_ip: loopbackAddress(i, block), role: 'worker', description: '', cpu_cores: 1,
    memory_gb: 1, tags: [], probes: [{ type: 'http', port: 8080, path: '/health', scheme: 'http' }], maintenance: false,
  })),
);
const monitor = new ClusterMonitor({ registry, settings: MonitorSettingsSchema.parse({ timeout_s: timeoutS }) }); // the default concurrency

async function measure(fn: () => Promise<unknown>): Promise<{ wall_ms: number; cpu_ms: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wall_ms: performance.now() - started, cpu_ms: (used.user + used.system) / 1000 };
}

const results = { baseline: [] as Array<{ wall_ms: number; cpu_ms: number }>, ours: [] as Array<{ wall_ms: number; cpu_ms: number }>, healthy: 0 };
for (let round = 0; round < rounds; round++) {
  // Cold connections for both: a fresh agent for the baseline, a fresh monitor state for ours.
  const agent = new Agent({ connections: 2, keepAliveTimeout: 60_000 });
  results.baseline.push(await measure(() => baselineSweep(agent)));
  await agent.close();
  results.ours.push(await measure(() => monitor.sweep()));
  await new Promise((r) => setTimeout(r, 200));
}
results.healthy = monitor.status().healthy_nodes;
console.log(JSON.stringify(results));
process.exit(0);
