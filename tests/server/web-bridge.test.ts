import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestService, TEST_TOKEN } from '../helpers/service';

let service: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => service.close());

function open(origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${service.url.replace('http', 'ws')}/bridge`, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
  });
}
const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
const next = (ws: WebSocket) => new Promise<Record<string, unknown>>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));

describe('web bridge', () => {
  it('refuses a wrong token and junk frames without harm to the service', async () => {
    for (const frame of ['null', '5', '[]', '"x"', '{"type":"auth","token":"wrong-token-wrong"}', 'not json']) {
      const ws = await open();
      const closed = closeCode(ws);
      ws.send(frame);
      expect([4400, 4401]).toContain(await closed);
    }
    await expect(open('https://evil.example')).rejects.toThrow(/403/);
    expect((await service.call('GET', '/health')).status).toBe(200);
  });

  it('answers contract calls after auth, with field errors, and pushes events', async () => {
    const ws = await open();
    ws.send(JSON.stringify({ type: 'auth', token: TEST_TOKEN }));
    expect(await next(ws)).toEqual({ type: 'ready', principal: { name: 'admin', scope: 'admin' } });
    ws.send(JSON.stringify({ id: 1, channel: 'nodes:create', arg: { id: 'b1', hostname: 'b1', tailscale_ip: '127.0.0.1', role: 'worker', cpu_cores: 1, memory_gb: 1 } }));
    const pushed: Array<Record<string, unknown>> = [];
    const answer = await new Promise<Record<string, unknown>>((resolve) =>
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        if (m.id === 1) resolve(m);
        else pushed.push(m);
      }),
    );
    expect(answer).toMatchObject({ ok: true, result: { id: 'b1' } });
    await expect.poll(() => pushed.some((m) => m.event === 'nodes')).toBe(true);
    const replies: Array<Record<string, unknown>> = [];
    ws.on('message', (data) => replies.push(JSON.parse(String(data))));
    ws.send(JSON.stringify({ id: 2, channel: 'nodes:list', arg: { role: 'boss' } }));
    ws.send(JSON.stringify({ id: 3, channel: 'no:such', arg: {} }));
    ws.send(JSON.stringify({ id: 4, channel: 42 }));
    await expect.poll(() => replies.filter((r) => r.id).length).toBe(3);
    expect(replies.find((r) => r.id === 2)).toMatchObject({ ok: false, error: { error: 'validation_error', details: [{ field: 'role' }] } });
    expect(replies.find((r) => r.id === 3)).toMatchObject({ ok: false, error: { error: 'bad_request', details: [{ field: 'channel' }] } });
    expect(replies.find((r) => r.id === 4)).toMatchObject({ ok: false, error: { error: 'bad_request' } });
    const closed = closeCode(ws);
    ws.close();
    await closed;
  });
});
