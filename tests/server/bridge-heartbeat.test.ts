import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createWebBridgeApi, type BridgeConnection, type WebSocketConstructor } from '../../src/shared/bridge-client';
import { livenessCheck } from '../../src/server/bridge-limits';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { until } from '../helpers/until';

// A link that goes silent without a close (a laptop asleep, a dropped route) is noticed at both ends
// and not shown as live. The silence is a TCP proxy that stops passing bytes. Loopback 127.81.0.x.
const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A TCP proxy on 127.81.0.2 to `target`; `freeze()` keeps every connection open but passes nothing. */
async function silenceableProxy(target: { host: string; port: number }) {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (chunk) => void (frozen || upstream.write(chunk)));
    upstream.on('data', (chunk) => void (frozen || client.write(chunk)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.81.0.2', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return {
    port: (server.address() as AddressInfo).port,
    freeze: () => (frozen = true),
    thaw: () => (frozen = false),
  };
}

describe('the bridge client on a link that goes silent', () => {
  it('reports the link lost after two missed heartbeats, fails the call in flight, and links again once bytes flow', async () => {
    const service = await startTestService({ HOST: '127.81.0.1' });
    cleanups.push(() => service.close());
    const { hostname, port } = new URL(service.url);
    const proxy = await silenceableProxy({ host: hostname, port: Number(port) });
    const states: Array<{ state: BridgeConnection; at: number }> = [];
    // Through the proxy, under the service's own name (it refuses Host headers that are not its own).
    const ViaProxy = class extends WebSocket {
      constructor(_url: string, protocols?: string[]) {
        super(`ws://127.81.0.2:${proxy.port}/bridge`, protocols ?? [], { headers: { host: `${hostname}:${port}` } });
      }
    };
    const api = createWebBridgeApi(`${service.url.replace('http', 'ws')}/bridge`, TEST_TOKEN, (state) => states.push({ state, at: Date.now() }), ViaProxy as unknown as WebSocketConstructor, {
      heartbeatMs: 200,
      connectTimeoutMs: 500,
    });
    cleanups.push(() => api.dispose());
    expect(await api.invoke('nodes:list', {})).toEqual([]);
    expect(states.map((s) => s.state)).toEqual(['open']);

    // Pings now answer nothing; two heartbeats (plus one tick) later the link is given up on.
    await new Promise((r) => setTimeout(r, 300)); // one pong heard while bytes still flow
    proxy.freeze();
    const frozenAt = Date.now();
    const inFlight = api.invoke('nodes:list', {});
    await expect(inFlight).rejects.toThrow(/lost/);
    await until('the link reported closed', () => states.at(-1)!.state, (s) => s === 'closed', 5000, 20);
    expect(states.at(-1)!.at - frozenAt).toBeLessThan(1500);
    // Reconnection attempts through the silent proxy time out instead of hanging for ever.
    await expect(api.invoke('nodes:list', {})).rejects.toThrow(/cannot reach/);

    proxy.thaw();
    await until('the link open again', () => states.at(-1)!.state, (s) => s === 'open', 15_000, 50);
    expect(await api.invoke('nodes:list', {})).toEqual([]);
    expect(states.filter((s) => s.state === 'closed').length).toBeGreaterThanOrEqual(1);
  });
});

describe('the service on a client that goes silent', () => {
  it('terminates it when a protocol ping goes unanswered, so its session does not linger', async () => {
    const httpServer = http.createServer();
    const wss = new WebSocketServer({ server: httpServer });
    await new Promise<void>((r) => httpServer.listen(0, '127.81.0.1', r));
    cleanups.push(() => (wss.close(), httpServer.closeAllConnections(), httpServer.close()));
    const proxy = await silenceableProxy({ host: '127.81.0.1', port: (httpServer.address() as AddressInfo).port });
    const serverSide = new Promise<import('ws').WebSocket>((r) => wss.once('connection', r));
    const client = new WebSocket(`ws://127.81.0.2:${proxy.port}`);
    cleanups.push(() => client.terminate());
    await new Promise((r) => client.once('open', r));
    const server = await serverSide;
    const closed = new Promise((r) => server.once('close', r));
    livenessCheck(server, 100);

    await new Promise((r) => setTimeout(r, 350)); // answered pings keep it open
    expect(server.readyState).toBe(server.OPEN);
    proxy.freeze();
    const frozenAt = Date.now();
    await closed;
    expect(Date.now() - frozenAt).toBeLessThan(1000);
  });
});
