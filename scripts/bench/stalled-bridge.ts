// A web-bridge client that stops reading (a suspended tab) for 30 s while a 5,000-node fleet is swept
// twice a second: how far the service's RSS peaks above its peak while the same client read (issue 32,
// finding 5: it grew 680 MB before the per-client send buffer was bounded). Peaks against peaks, since
// the sweeps alone swing RSS by some 50 MB between garbage collections.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { benchHost, benchPort } from './bench-addresses';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

export async function stalledBridgeClient(seconds: number, track: (child: ChildProcess) => void): Promise<{ idle_growth_mb: number; reading_growth_mb: number; before_mb: number; reading_peak_mb: number; peak_mb: number; cut_off_after_s: number | null }> {
  const host = benchHost(0, 11);
  const port = benchPort(201);
  const token = 'bench-bridge-token-0123456789';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-bench-bridge-'));
  // Nothing listens on 127.73.x.y port 9: every probe is refused at once, and every sweep pushes all 5,000.
  const nodes = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`n-${i}`, { hostname: `host-${i}.tailnet.ts.net`, tailscale_ip: `127.73.${Math.floor(i / 250)}.${1 + (i % 250)}`, role: 'worker', cpu_cores: 2, memory_gb: 4, probes: [{ type: 'tcp', port: 9 }] }]));
  const fleet = path.join(dataDir, 'fleet.json');
  fs.writeFileSync(fleet, JSON.stringify({ nodes }));
  const child = spawn(process.execPath, ['bin/mcp-orchestrator.mjs', 'serve', '--host', host, '--port', String(port), '--data-dir', dataDir, '--nodes-file-path', fleet, '--test-timing', '--health-check-interval', '0.5', '--health-check-timeout', '0.5'], { env: { ...process.env, API_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] });
  track(child);
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout!.on('data', (c) => (out += c) && /Address:/.test(out) && resolve());
  });
  const rss = () => Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
  await new Promise((r) => setTimeout(r, 5000)); // sweeps settle
  // The baseline: the same time with no client at all (the sweeps' own growth).
  const idleStart = rss();
  let idlePeak = idleStart;
  for (const end = Date.now() + seconds * 1000; Date.now() < end; ) {
    idlePeak = Math.max(idlePeak, rss());
    await new Promise((r) => setTimeout(r, 250));
  }
  // A client that reads: what serving one client costs, stalled or not.
  const ws = new WebSocket(`ws://${host}:${port}/bridge`);
  ws.on('error', () => {});
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'auth', token }));
  await new Promise((r) => ws.once('message', r));
  const readingStart = rss();
  let readingPeak = readingStart;
  for (const end = Date.now() + seconds * 1000; Date.now() < end; ) {
    readingPeak = Math.max(readingPeak, rss());
    await new Promise((r) => setTimeout(r, 250));
  }
  const before = rss();
  (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // stops reading; the kernel buffers fill
  const started = Date.now();
  // A paused socket does not notice the service closing it: ask the kernel whether the service's end is still open.
  const serviceEndOpen = () => execFileSync('ss', ['-tnH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' }).trim() !== '';
  let cutOff: number | null = null;
  let peak = before;
  while (Date.now() - started < seconds * 1000) {
    peak = Math.max(peak, rss());
    if (cutOff === null && !serviceEndOpen()) cutOff = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
  ws.removeAllListeners('close');
  ws.terminate();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { idle_growth_mb: idlePeak - idleStart, reading_growth_mb: readingPeak - readingStart, before_mb: before, reading_peak_mb: readingPeak, peak_mb: peak, cut_off_after_s: cutOff };
}
