import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { BEHIND_GRACE_MS, CLOSE_FELL_BEHIND, PUSH_BUFFER_LIMIT, pushGate } from '../../src/server/bridge-limits';
import { tempDir } from '../helpers/temp-dir';

// Issue 32, findings 5 and 6: what one web-bridge client may cost the service. Loopback 127.69.0.x.
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.splice(0).forEach((c) => c()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A real WebSocket pair on loopback; the client's TCP socket can be paused (a suspended tab). */
async function socketPair(): Promise<{ server: WebSocket; client: WebSocket; close: () => void }> {
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ server: httpServer });
  await new Promise<void>((r) => httpServer.listen(0, '127.69.0.1', r));
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.69.0.1:${(httpServer.address() as AddressInfo).port}`);
  await new Promise((r) => client.once('open', r));
  const server = await serverSide;
  const close = () => {
    client.terminate();
    wss.close();
    httpServer.closeAllConnections();
    httpServer.close();
  };
  cleanups.push(close);
  return { server, client, close };
}

describe('pushes to a client that stops reading (finding 5)', () => {
  const MESSAGE = { event: 'health', payload: 'x'.repeat(256 * 1024) };

  it('are dropped past the buffer limit, and the client is cut off if it stays behind', async () => {
    const { server, client } = await socketPair();
    (client as unknown as { _socket: { pause(): void } })._socket.pause();
    let clock = 0;
    let sent = 0;
    let maxBuffered = 0;
    const gate = pushGate(server, (m) => (sent++, server.send(JSON.stringify(m))), () => clock);
    const closed = new Promise<void>((r) => server.once('close', () => r()));
    for (let i = 0; i < 400 && server.readyState === server.OPEN; i++) {
      gate.push(MESSAGE);
      maxBuffered = Math.max(maxBuffered, server.bufferedAmount);
      await sleep(2);
    }
    console.log(`[bridge] ${sent} of 400 pushes sent, send buffer at most ${(maxBuffered / 1024 ** 2).toFixed(1)} MiB`);
    expect(sent).toBeLessThan(400);
    expect(maxBuffered).toBeLessThanOrEqual(PUSH_BUFFER_LIMIT + 2 * 256 * 1024 + 1024);
    expect(server.readyState).toBe(server.OPEN); // still within its grace
    clock += BEHIND_GRACE_MS; // the timer checks without further pushes
    await Promise.race([closed, sleep(3000).then(() => Promise.reject(new Error('not cut off')))]);
    gate.dispose();
  });

  it('a client that catches up within the grace is closed with 4409, to reconnect for a fresh snapshot', async () => {
    const { server, client } = await socketPair();
    const tcp = (client as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    tcp.pause();
    const gate = pushGate(server, (m) => server.send(JSON.stringify(m)));
    while (server.bufferedAmount <= PUSH_BUFFER_LIMIT) {
      gate.push(MESSAGE);
      await sleep(1);
    }
    gate.push(MESSAGE); // dropped: behind
    const code = new Promise<number>((r) => client.once('close', (c) => r(c)));
    tcp.resume();
    expect(await code).toBe(CLOSE_FELL_BEHIND);
    gate.dispose();
  });
});

describe('sockets that never authenticate (finding 6)', () => {
  it('1,100 of them, under a 1,024 open-file limit, leave /health and POST /cluster/nodes answering within 1 s', async () => {
    const token = 'bridge-limits-token-0123456789';
    const child = spawn('bash', ['-c', 'ulimit -n 1024 && exec "$0" "$@"', process.execPath, path.resolve('bin/mcp-orchestrator.mjs'), 'serve', '--host', '127.69.0.9', '--port', '0', '--data-dir', tempDir(), '--health-check-interval', '3600'], {
      env: { ...process.env, API_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (out += c));
    const end = Date.now() + 30_000;
    while (!/Address:\s+(http:\/\/\S+)/.test(out)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`service did not start:\n${out}`);
      await sleep(100);
    }
    const url = /Address:\s+(http:\/\/\S+)/.exec(out)![1];
    const sockets: WebSocket[] = [];
    let closedSoon = 0;
    const opened = Date.now();
    for (let i = 0; i < 1100; i++) {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/bridge`);
      ws.on('error', () => {});
      ws.on('close', () => Date.now() - opened < 3000 && closedSoon++);
      sockets.push(ws);
    }
    cleanups.push(() => sockets.forEach((s) => s.terminate()));
    await sleep(1500);
    const timed = async (init?: RequestInit) => {
      const started = Date.now();
      const res = await fetch(`${url}${init ? '/cluster/nodes' : '/health'}`, { ...init, signal: AbortSignal.timeout(5000) });
      return { status: res.status, ms: Date.now() - started };
    };
    const health = await timed();
    const created = await timed({ method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'n1', hostname: 'n1', tailscale_ip: '127.69.1.1', role: 'worker', cpu_cores: 1, memory_gb: 1 }) });
    console.log(`[bridge] 1,100 unauthenticated sockets: ${closedSoon} cut off within 3 s; /health ${health.ms} ms, POST /cluster/nodes ${created.ms} ms`);
    expect(health).toMatchObject({ status: 200 });
    expect(health.ms).toBeLessThan(1000);
    expect(created).toMatchObject({ status: 201 });
    expect(created.ms).toBeLessThan(1000);
    expect(closedSoon).toBeGreaterThan(900); // past the caps, at once
    await sleep(5000); // the rest at the 5 s authentication timeout
    expect(sockets.filter((s) => s.readyState !== WebSocket.CLOSED)).toEqual([]);
  }, 60_000);
});
