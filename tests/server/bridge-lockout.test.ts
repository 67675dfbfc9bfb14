import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebBridgeApi, type WebSocketConstructor } from '../../src/shared/bridge-client';
import { caller } from '../helpers/service';
import { spawnService, stopService } from '../helpers/service-process';
import { tempDir } from '../helpers/temp-dir';

// Issue 39, finding 8: silent sockets that never authenticate cannot keep a valid client out. The
// service on 127.96.0.1; the silent sockets come from 127.96.1.1–8 and are reopened as they are cut;
// the valid client comes from 127.96.2.1, with its token in the subprotocol, as the web UI and the
// desktop send it.
const cleanups: Array<() => void | Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** ws sockets bound to one local address, as a second machine would connect. */
const socketFrom = (localAddress: string): WebSocketConstructor =>
  class extends WebSocket {
    constructor(url: string, protocols?: string[]) {
      super(url, protocols ?? [], { localAddress });
    }
  } as unknown as WebSocketConstructor;

describe('the web bridge under 1,000 silent sockets', () => {
  it('lets a valid token in at once, every time, and keeps /health answering', async () => {
    // Its own process, as in use: the flood below runs in this one.
    const TOKEN = 'bridge-lockout-token-0123456789';
    const service = await spawnService({ dataDir: tempDir(), token: TOKEN, host: '127.96.0.1' });
    cleanups.push(() => stopService(service.child));
    const call = caller(service.url);
    const viewer = (await call('POST', '/cluster/tokens', { body: { name: 'wall', scope: 'viewer' }, token: TOKEN })).body.token as string;
    const bridge = `${service.url.replace('http', 'ws')}/bridge`;

    // Silent sockets from 8 addresses, each reopened the moment it is cut, until the end.
    let flooding = true;
    let opened = 0;
    const silent = (address: string) => {
      if (!flooding) return;
      const ws = new WebSocket(bridge, { localAddress: address });
      opened++;
      ws.on('error', () => {});
      ws.on('close', () => setTimeout(() => silent(address), 5));
      cleanups.push(() => ws.terminate());
    };
    for (let i = 0; i < 1000; i++) silent(`127.96.1.${(i % 8) + 1}`);
    cleanups.push(() => void (flooding = false));
    await new Promise((r) => setTimeout(r, 1000));

    for (let attempt = 0; attempt < 5; attempt++) {
      const states: string[] = [];
      const api = createWebBridgeApi(bridge, viewer, (state) => states.push(state), socketFrom('127.96.2.1'), { heartbeatMs: 5000, connectTimeoutMs: 3000 }, () => {});
      const started = Date.now();
      const status = await api.invoke('cluster:status', { include_nodes: false });
      expect(status.total_nodes).toBe(0);
      expect(states[0]).toBe('open');
      expect(Date.now() - started).toBeLessThan(2000);
      api.dispose();
      const health = Date.now();
      expect((await call('GET', '/health', { token: null })).status).toBe(200);
      expect(Date.now() - health).toBeLessThan(1000);
    }
    flooding = false;
    expect(opened).toBeGreaterThan(1000); // the caps cut them, and they came back
  }, 60_000);
});
