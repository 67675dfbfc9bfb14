// Alertmanager silences are anyone's input (issue 39, finding 2): a matcher that backtracks for
// minutes in JavaScript, evaluated here, and /health while a service reads 1,000 hostile silences
// from a peer (a loopback stand-in for Alertmanager's GET /api/v2/silences).
import { spawn, type ChildProcess } from 'node:child_process';
import { benchHost, benchPort } from './bench-addresses';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { watchHealth } from './health-watch';
import { coveringSilences } from '../../src/core/alerts/alertmanager/silence-matcher';

const LABELS = [{ alertname: 'NodeDown', node: 'db-01', role: 'worker', severity: 'critical' }];
const HOSTILE = ['(.*){18}!', '(a|aa)+$', '(x+x+)+y', '(.*){1000}x', '((.*){20}){20}', '\\pL{40}'];
const silence = (i: number, value: string) => ({ id: `s-${i}`, status: { state: 'active' }, matchers: [{ name: 'alertname', value, isRegex: true, isEqual: true }], endsAt: '2099-01-01T00:00:00Z', createdBy: 'x', comment: '' });

export async function silencesBench(track: (child: ChildProcess) => void): Promise<{ backtracking_eval_ms: number; engine_load_ms: number; health_max_ms: number; health_checks: number; reads: number }> {
  // The pattern that blocked the event loop for 42 s, alone, once the engine is loaded (as the service loads it soon after start).
  const loading = performance.now();
  await coveringSilences([silence(0, 'x')], LABELS);
  const loadMs = performance.now() - loading;
  const started = performance.now();
  await coveringSilences([silence(1, '(.*){18}!')], LABELS);
  const evalMs = performance.now() - started;

  const list = Array.from({ length: 1000 }, (_, i) => silence(i, i % 2 ? HOSTILE[i % HOSTILE.length] : `${HOSTILE[i % HOSTILE.length]}|v${i}`));
  // The first answer is empty: the warm-up read below loads the service's HTTP client, and compiles nothing.
  let served = 0;
  const peer = http.createServer((_req, res) => res.end(served++ === 0 ? '[]' : JSON.stringify(list)));
  await new Promise<void>((resolve) => peer.listen(0, benchHost(1, 10), resolve));
  const host = benchHost(1, 11);
  const port = benchPort(102);
  const token = 'bench-silences-token-0123456789';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-bench-silences-'));
  const child = spawn(process.execPath, ['bin/mcp-orchestrator.mjs', 'serve', '--host', host, '--port', String(port), '--data-dir', dataDir, '--health-check-interval', '3600'], {
    env: { ...process.env, API_TOKEN: token, ALERTMANAGER_URL: `http://${benchHost(1, 10)}:${(peer.address() as AddressInfo).port}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => (out += c) && /Address:/.test(out) && resolve());
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  await new Promise((r) => setTimeout(r, 1500)); // the service loads the matcher's engine a second after start
  const origin = `http://${host}:${port}`;
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const api = new Pool(origin, { connections: 1 });
  const health = new Pool(origin, { connections: 1 });
  await (await api.request({ path: '/cluster/nodes', method: 'POST', headers: auth, body: JSON.stringify({ id: 'db-01', hostname: 'db-01', tailscale_ip: benchHost(1, 12), role: 'worker', cpu_cores: 1, memory_gb: 1 }) })).body.dump();
  // One read first: the service's first request to a peer loads its HTTP client (undici), which is not what is measured.
  await (await api.request({ path: '/cluster/nodes/db-01/silences', method: 'GET', headers: auth })).body.dump();
  const watch = watchHealth(health);
  const reads = 5;
  for (let i = 0; i < reads; i++) await (await api.request({ path: '/cluster/nodes/db-01/silences', method: 'GET', headers: auth })).body.dump();
  const { max_ms: healthMax, checks } = await watch.stop();
  await Promise.all([api.close(), health.close()]);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited; // its data dir is written until it has gone
  peer.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { backtracking_eval_ms: evalMs, engine_load_ms: loadMs, health_max_ms: healthMax, health_checks: checks, reads };
}
