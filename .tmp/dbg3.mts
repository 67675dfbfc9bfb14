import net from 'node:net';
import fs from 'node:fs';
import { createCore } from '../src/core/app-core';
import { MonitorSettingsSchema } from '../src/shared/schemas/settings';
const BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n';
const faults: Array<[string, (s: net.Socket) => void]> = [
  ['reset', (s) => s.resetAndDestroy()],
  ['silent', () => {}],
  ['garbage', (s) => s.write('\x00\xff\x13 this is not SSH \x1b[31m\r\n'.repeat(4) + 'SSH-9.9-???\r\n')],
  ['banner-close', (s) => s.end(BANNER)],
  ['banner-silence', (s) => s.write(BANNER)],
  ['drip', (s) => { let i = 0; const d = setInterval(() => (i < BANNER.length && !s.destroyed ? s.write(BANNER[i++]) : clearInterval(d)), 150); s.on('close', () => clearInterval(d)); }],
];
const core = createCore({ dataDir: fs.mkdtempSync('/tmp/dbg-'), settings: MonitorSettingsSchema.parse({ timeout_s: 1 }), ssh: { metricsIntervalMs: 0 } });
for (const [i, [name, b]] of faults.entries()) {
  const server = net.createServer((s) => { s.on('error', () => {}); b(s); });
  await new Promise<void>((r) => server.listen({ host: `127.50.0.${i + 1}`, port: 2200 }, r));
  core.registry.create({ id: name, hostname: name, tailscale_ip: `127.50.0.${i + 1}`, role: 'worker', cpu_cores: 1, memory_gb: 1, ssh: { user: 'x', port: 2200 } });
}
await Promise.all(faults.map(async ([name]) => {
  const t = performance.now();
  const r = await core.ssh.run({ node_ids: [name], command: 'true', timeout: 5 }, 't');
  console.log(name, 'command', Math.round(performance.now() - t), r.results[0].error);
  const t2 = performance.now();
  try { await core.ssh.getMetrics(name); } catch (e) { console.log(name, 'metrics', Math.round(performance.now() - t2), (e as Error).message); }
}));
process.exit(0);
