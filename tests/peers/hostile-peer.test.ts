import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { until } from '../helpers/until';

// Issue 42, a hostile pass: a "peer" that lies and floods. It says every node is down, pushes thousands
// of votes in a burst, a frame past the bridge's cap, malformed frames and a sent log that claims every
// alert. Our block: the victim monitor on 127.106.1.1, the fake peer on 127.106.1.2, the node on 127.106.1.50.
const NODE_IP = '127.106.1.50';
type Service = Awaited<ReturnType<typeof startTestService>>;

describe('a hostile peer', () => {
  let victim: Service;
  let node: net.Server;
  let wss: WebSocketServer;
  const sockets: WebSocket[] = [];
  let decisions = 0;

  const lie = (at = new Date().toISOString()) =>
    JSON.stringify({ event: 'vantage', payload: { monitor: 'evil', at, interval_s: 0.3, offline: false, nodes: [{ id: 'web-1', status: 'unhealthy', checked_at: at, error: 'trust me' }] } });

  beforeAll(async () => {
    node = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => node.listen(2305, NODE_IP, resolve));
    wss = new WebSocketServer({ host: '127.106.1.2', port: 0, path: '/bridge', handleProtocols: (protocols) => [...protocols][0] ?? false });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    wss.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('message', () => {}); // pings and the auth message: never answered
      socket.send(JSON.stringify({ type: 'ready' }));
    });
    const port = (wss.address() as { port: number }).port;
    victim = await startTestService({
      HOST: '127.106.1.1', INSTANCE: 'mon-v', TEST_TIMING: true, HEALTH_CHECK_INTERVAL: 0.3, HEALTH_CHECK_TIMEOUT: 0.25,
      MONITOR_PEERS: JSON.stringify([{ url: `http://127.106.1.2:${port}`, token: TEST_TOKEN }]),
    });
    victim.core.registry.create({ id: 'web-1', hostname: 'web-1', tailscale_ip: NODE_IP, role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'tcp', port: 2305 }] });
    const monitor = victim.core.monitor;
    const reconsider = monitor.reconsider.bind(monitor);
    monitor.reconsider = () => {
      decisions++;
      reconsider();
    };
    await until('the fake peer is linked', () => sockets.length, (n) => n > 0, 10_000);
  }, 30_000);

  afterAll(async () => {
    await victim?.close();
    for (const socket of sockets) socket.terminate();
    wss?.close();
    node?.close();
  });

  it('cannot call a node down alone, nor keep the monitor deciding, nor stop it with a flood or a frame past the cap', async () => {
    await until('web-1 healthy by its own checks', () => victim.core.monitor.ownStateOf('web-1'), (s) => s === 'healthy', 10_000);
    const socket = sockets.at(-1)!;
    const before = decisions;
    for (let i = 0; i < 3000; i++) socket.send(lie());
    socket.send('{"event": "vantage", "payload": {"monitor": 7}}');
    socket.send('not json');
    socket.send(JSON.stringify({ event: 'sent', payload: { monitor: 'evil', entries: [{ key: 'node_down:web-1', at: new Date().toISOString() }] } }));
    await until('the lies arrived', () => victim.core.monitor.healthOf('web-1').vantage?.find((v) => v.monitor === 'evil')?.status, (s) => s === 'unhealthy', 10_000);
    await new Promise((r) => setTimeout(r, 500));
    // One liar against this monitor's own view: two voters, two needed. Healthy, with the dissent shown.
    expect(victim.core.monitor.stateOf('web-1')).toBe('healthy');
    expect(victim.core.monitor.healthOf('web-1').quorum).toEqual({ needed: 2, voters: 2, alone: false });
    expect(victim.core.eventLog.list({ node: 'web-1' }).filter((e) => e.to === 'unhealthy')).toEqual([]);
    // 3,000 votes in a burst are decided on a handful of times (at most every 100 ms), not 3,000.
    expect(decisions - before).toBeLessThan(30);
    expect((await victim.call('GET', '/health')).status).toBe(200);

    // A frame past the cap (16 MB) closes that link; the monitor stays up and links again.
    const linked = sockets.length;
    socket.send(Buffer.alloc(17 * 1024 * 1024, 0x20));
    await until('linked again after the oversized frame', () => sockets.length, (n) => n > linked, 15_000);
    expect((await victim.call('GET', '/cluster/peers')).status).toBe(200);
    expect(victim.core.monitor.stateOf('web-1')).toBe('healthy');
  }, 40_000);
});
