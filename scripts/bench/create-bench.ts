// Nodes added one by one through REST, as a script adding a fleet would: the rate over the last
// thousand at 10,000 nodes, and the slowest /health answer while it runs (issue 32, finding 11).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { watchHealth } from './health-watch';
import { benchHost, benchPort } from './bench-addresses';

export async function createNodesOneByOne(count: number, track: (child: ChildProcess) => void): Promise<{ last_thousand_per_s: number; health_max_ms: number; health_checks: number }> {
  const host = benchHost(0, 10);
  const port = benchPort(101);
  const token = 'bench-create-token-0123456789';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-bench-create-'));
  const child = spawn(process.execPath, ['bin/mcp-orchestrator.mjs', 'serve', '--host', host, '--port', String(port), '--data-dir', dataDir, '--health-check-interval', '3600'], { env: { ...process.env, API_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] });
  track(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => (out += c) && /Address:/.test(out) && resolve());
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const origin = `http://${host}:${port}`;
  const api = new Pool(origin, { connections: 1 });
  const health = new Pool(origin, { connections: 1 });
  const watch = watchHealth(health);
  let lastThousandStarted = 0;
  for (let i = 0; i < count; i++) {
    if (i === count - 1000) lastThousandStarted = performance.now();
    const body = JSON.stringify({ id: `n-${i}`, hostname: `host-${i}.tailnet.ts.net`, tailscale_ip: `127.59.${Math.floor(i / 250)}.${1 + (i % 250)}`, role: 'worker', cpu_cores: 2, memory_gb: 4, probes: [{ type: 'tcp', port: 22 }] });
    const res = await api.request({ path: '/cluster/nodes', method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    if (res.statusCode !== 201) throw new Error(`node ${i}: HTTP ${res.statusCode} ${await res.body.text()}`);
    await res.body.dump();
  }
  const lastThousandMs = performance.now() - lastThousandStarted;
  const { max_ms: healthMax, checks } = await watch.stop();
  await Promise.all([api.close(), health.close()]);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { last_thousand_per_s: 1000 / (lastThousandMs / 1000), health_max_ms: healthMax, health_checks: checks };
}
