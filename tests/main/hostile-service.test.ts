import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { tempDir } from '../helpers/temp-dir';
import { LiveShell } from '../helpers/electron-stub';
import { startTestService } from '../helpers/service';

// Issue 39, finding 4: a watched service is not trusted with the desktop's process. The *built*
// main process (stand-in Electron API) watches a fake service on 127.91.0.1 that links properly,
// answers what the app asks at link time, then sends what a hostile or broken service could.
let shell: LiveShell | null = null;
let server: http.Server | null = null;
afterAll(() => {
  shell?.kill();
  server?.close();
});

describe('the desktop app watching a hostile service', () => {
  it('drops frames that are not JSON, not objects or not of their schema, groups a flood of alerts, survives a 50 MB frame, and keeps serving', async () => {
    // A real status document, taken from a real service, for the fake one to answer with.
    const real = await startTestService({ HOST: '127.91.0.2' });
    const status = real.core.monitor.status(false);
    await real.close();

    const sockets: WebSocket[] = [];
    let statusAnswered = 0;
    server = http.createServer((_req, res) => res.end());
    // As the service does: the token comes in the subprotocol, and the link is ready at once.
    const wss = new WebSocketServer({ server, path: '/bridge', handleProtocols: (offered) => (offered.has('mco.bearer') ? 'mco.bearer' : false) });
    wss.on('connection', (ws) => {
      sockets.push(ws);
      ws.send(JSON.stringify({ type: 'ready', principal: { name: 'laptop', scope: 'viewer' } }));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type?: string; id?: number; channel?: string };
        if (message.type === 'ping') return ws.send(JSON.stringify({ type: 'pong' }));
        if (message.channel === 'cluster:status') statusAnswered++;
        if (message.channel === 'cluster:status') return ws.send(JSON.stringify({ id: message.id, ok: true, result: status }));
        if (message.channel === 'auth:whoami') return ws.send(JSON.stringify({ id: message.id, ok: true, result: { name: 'laptop', scope: 'viewer' } }));
        // Any other call gets an error answer that is not an error.
        ws.send(JSON.stringify({ id: message.id, ok: false, error: null }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.91.0.1', resolve));
    const url = `http://127.91.0.1:${(server.address() as AddressInfo).port}`;

    const userData = tempDir();
    fs.writeFileSync(`${userData}/shell-settings.json`, JSON.stringify({ watch_url: url }));
    fs.writeFileSync(`${userData}/watch-token.json`, JSON.stringify({ token: Buffer.from('mco_any').toString('base64') }));
    shell = new LiveShell('out/main/index.js', { STUB_USER_DATA: userData, DATA_DIR: tempDir(), XDG_CONFIG_HOME: tempDir(), STUB_KEYRING: 'gnome_libsecret' });
    await shell.waitFor(() => statusAnswered > 0);
    await new Promise((r) => setTimeout(r, 300));
    const tooltip = shell.output.stub.filter((s) => s.startsWith('tooltip ')).at(-1);
    const live = sockets.at(-1)!;

    for (const frame of ['not json', 'null', '42', '[]', JSON.stringify({ event: 'status', payload: { nonsense: true } }), JSON.stringify({ event: 'alert', payload: null }), JSON.stringify({ event: 'connection', payload: { state: 'open' } }), JSON.stringify({ event: '__proto__', payload: {} }), JSON.stringify({ id: 'x' })]) {
      live.send(frame);
    }
    // 2,000 alerts in a burst: one notification now, the rest as one at the end of the window.
    for (let i = 0; i < 2000; i++) live.send(JSON.stringify({ event: 'alert', payload: { event: 'node_down', title: `n-${i} is down`, body: '', nodeId: `n-${i}`, nodes: [{ id: `n-${i}`, reason: 'refused' }] } }));
    await shell.waitFor((o) => o.stub.some((s) => s.startsWith('notification ') && s.includes('1999')), 15_000);
    await new Promise((r) => setTimeout(r, 5500)); // a quiet window: nothing more
    const notifications = shell.output.stub.filter((s) => s.startsWith('notification '));
    expect(notifications).toHaveLength(2);
    expect(notifications[0]).toContain('n-0');
    // The nonsense status changed nothing on the tray.
    expect(shell.output.stub.filter((s) => s.startsWith('tooltip ')).at(-1)).toBe(tooltip);

    // An answer whose error is not an error is an error, not a crash.
    shell.send('call nodes:list {}');
    expect((await shell.waitFor((o) => Boolean(o.step('call:nodes:list')))).step('call:nodes:list')).toMatchObject({ ok: false, error: { message: 'the service answered with a malformed error' } });

    // 50 MB in one frame: the socket refuses it (1009) and links again.
    const linked = sockets.length;
    live.send('x'.repeat(50 * 1024 * 1024));
    await shell.waitFor(() => sockets.length > linked, 20_000);
    shell.send('call auth:whoami {}');
    expect((await shell.waitFor((o) => Boolean(o.step('call:auth:whoami')))).step('call:auth:whoami')).toEqual({ ok: true, result: { name: 'laptop', scope: 'viewer' } });
    expect(shell.stderr).toMatch(/dropped/);
    expect(shell.child.exitCode).toBeNull();
    shell.send('quit');
    expect(await shell.exited).toBe(0);
  }, 90_000);
});
