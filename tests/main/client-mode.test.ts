import fs from 'node:fs';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';
import { LiveShell } from '../helpers/electron-stub';
import { startTestService } from '../helpers/service';
import { nodeInput } from '../helpers/nodes';

// Issue 25, item 2: the desktop app as a client of a remote service. The *built* main process runs
// against the stand-in Electron API (tests/fixtures/electron-stub) and watches a real headless
// service on 127.80.0.1; the node it monitors is a TCP listener on 127.80.1.1 that the test stops
// and starts. The check interval is 1 s.
const HOST = '127.80.0.1';
const serviceData = tempDir();
const shellData = tempDir(); // the app's own DATA_DIR: untouched while it watches
const config = { HOST, DATA_DIR: serviceData, HEALTH_CHECK_INTERVAL: 1 };
let service: Awaited<ReturnType<typeof startTestService>> | null = null;
let shell: LiveShell | null = null;
let node: net.Server | null = null;

const listen = async (port = 0) => {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, '127.80.1.1', resolve));
  return server;
};
const stop = (server: net.Server | null) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

afterAll(async () => {
  shell?.kill();
  await stop(node);
  await service?.close();
});

describe('the desktop app watching a service (stand-in Electron API, real headless service)', () => {
  it('follows an outage and a recovery with one notification each, greys the tray when the service stops, and comes back with none repeated', async () => {
    node = await listen();
    const nodePort = (node.address() as net.AddressInfo).port;
    service = await startTestService(config);
    const port = Number(new URL(service.url).port);
    service.core.registry.create(nodeInput('watched-1', { tailscale_ip: '127.80.1.1', probes: [{ type: 'tcp', port: nodePort }] }));
    const token = (await service.call('POST', '/cluster/tokens', { body: { name: 'laptop', scope: 'operator' } })).body.token as string;

    // Settings as "Watch a service" leaves them: the URL, and the token sealed by the keychain.
    const userData = tempDir();
    fs.writeFileSync(`${userData}/shell-settings.json`, JSON.stringify({ watch_url: service.url }));
    fs.writeFileSync(`${userData}/watch-token.json`, JSON.stringify({ token: Buffer.from(token).toString('base64') })); // the stand-in's safeStorage seals as-is
    shell = new LiveShell('out/main/index.js', { STUB_USER_DATA: userData, DATA_DIR: shellData, XDG_CONFIG_HOME: tempDir(), STUB_KEYRING: 'gnome_libsecret' });
    const notifications = () => shell!.output.stub.filter((s) => s.startsWith('notification '));
    const tooltips = () => shell!.output.stub.filter((s) => s.startsWith('tooltip '));
    await shell.waitFor((o) => o.stub.includes('tooltip 1/1 healthy'));

    // The window's calls go to the service, as the token.
    shell.send('call nodes:list {}');
    const listed = (await shell.waitFor((o) => Boolean(o.step('call:nodes:list')))).step('call:nodes:list');
    expect(listed).toMatchObject({ ok: true, result: [{ id: 'watched-1' }] });
    shell.send('call auth:whoami {}');
    expect((await shell.waitFor((o) => Boolean(o.step('call:auth:whoami')))).step('call:auth:whoami')).toEqual({ ok: true, result: { name: 'laptop', scope: 'operator' } });
    shell.send('call nodes:remove {"id":"watched-1"}');
    expect((await shell.waitFor((o) => Boolean(o.step('call:nodes:remove')))).step('call:nodes:remove')).toMatchObject({ ok: false, error: { error: 'forbidden', details: [{ field: 'scope', message: 'needs admin' }] } });

    // An outage and a recovery: one notification each, from the service's own alerts.
    await stop(node);
    await shell.waitFor((o) => o.stub.includes('notification watched-1 is down'));
    expect(tooltips().at(-1)).toBe('tooltip 0/1 healthy — watched-1 down');
    node = await listen(nodePort);
    await shell.waitFor((o) => o.stub.includes('notification watched-1 recovered'));
    expect(notifications()).toEqual(['notification watched-1 is down', 'notification watched-1 recovered']);

    // The service stops: grey, "unreachable since", within two intervals.
    const stopped = Date.now();
    await service.close();
    service = null;
    await shell.waitFor((o) => o.stub.some((s) => /^tooltip MCP Cloud Orchestrator — Service unreachable since /.test(s)), 5000);
    expect(Date.now() - stopped).toBeLessThan(2000);
    shell.send('call cluster:status {}');
    expect((await shell.waitFor((o) => Boolean(o.step('call:cluster:status')))).step('call:cluster:status')).toMatchObject({ ok: false, error: { error: 'unavailable' } });

    // It comes back on the same address: the tray follows it again, and nothing is notified twice.
    service = await startTestService({ ...config, PORT: port });
    const before = tooltips().length;
    await shell.waitFor((o) => o.stub.filter((s) => s.startsWith('tooltip ')).slice(before).includes('tooltip 1/1 healthy'), 20_000);
    await new Promise((r) => setTimeout(r, 2500)); // two more sweeps
    expect(notifications()).toEqual(['notification watched-1 is down', 'notification watched-1 recovered']);

    // No core of its own: the app's DATA_DIR holds no registry and no lock.
    expect(fs.readdirSync(shellData)).toEqual([]);
    shell.send('quit');
    expect(await shell.exited).toBe(0);
  }, 90_000);

  it('"Watch a service" checks the address and the token before keeping them, refuses a keyring-less store, then restarts the app', async () => {
    const token = (await service!.call('POST', '/cluster/tokens', { body: { name: 'desk', scope: 'viewer' } })).body.token as string;
    const answers = (live: LiveShell) => live.stdout.split('\n').filter((l) => l.includes('"step":"call:shell:watchService"'));
    const call = async (live: LiveShell, arg: unknown) => {
      const before = answers(live).length;
      live.send(`call shell:watchService ${JSON.stringify(arg)}`);
      await live.waitFor(() => answers(live).length > before);
      return JSON.parse(answers(live).at(-1)!).value;
    };
    // Linux without a keyring: refused, saying why (the token would be readable).
    const keyringless = new LiveShell('out/main/index.js', { STUB_USER_DATA: tempDir(), DATA_DIR: tempDir(), XDG_CONFIG_HOME: tempDir() });
    await keyringless.waitFor((o) => Boolean(o.step('ready')));
    expect(await call(keyringless, { url: service!.url, token })).toMatchObject({ ok: false, error: { error: 'unavailable', details: [{ field: 'token', message: 'no safe keychain to store it in' }] } });
    keyringless.send('quit');
    await keyringless.exited;

    const userData = tempDir();
    const local = new LiveShell('out/main/index.js', { STUB_USER_DATA: userData, DATA_DIR: tempDir(), XDG_CONFIG_HOME: tempDir(), STUB_KEYRING: 'kwallet5' });
    await local.waitFor((o) => Boolean(o.step('ready')));
    expect(await call(local, { url: service!.url, token: 'mco_wrong' })).toMatchObject({ ok: false, error: { error: 'validation_error', details: [{ field: 'token', message: expect.stringMatching(/refused this token/) }] } });
    expect(await call(local, { url: 'http://127.80.9.9:9', token })).toMatchObject({ ok: false, error: { details: [{ field: 'url', message: expect.stringMatching(/no service answered at http:\/\/127\.80\.9\.9:9/) }] } });
    expect(await call(local, { url: 'ftp://x', token })).toMatchObject({ ok: false, error: { error: 'validation_error', details: [{ field: 'url' }] } });
    expect(fs.existsSync(`${userData}/watch-token.json`) && JSON.parse(fs.readFileSync(`${userData}/watch-token.json`, 'utf8')).token).toBeFalsy();

    expect(await call(local, { url: service!.url, token })).toEqual({ ok: true, result: { restarting: true, watching: service!.url } });
    await local.waitFor((o) => o.stub.includes('relaunch'));
    expect(await local.exited).toBe(0);
    expect(JSON.parse(fs.readFileSync(`${userData}/shell-settings.json`, 'utf8')).watch_url).toBe(service!.url);
    expect(fs.statSync(`${userData}/watch-token.json`).mode & 0o777).toBe(0o600);
    expect(Buffer.from(JSON.parse(fs.readFileSync(`${userData}/watch-token.json`, 'utf8')).token, 'base64').toString()).toBe(token);

    // Back to local monitoring: the token is forgotten, and the app restarts with its own monitor.
    const watching = new LiveShell('out/main/index.js', { STUB_USER_DATA: userData, DATA_DIR: tempDir(), XDG_CONFIG_HOME: tempDir(), STUB_KEYRING: 'kwallet5' });
    await watching.waitFor((o) => o.stub.some((s) => s.startsWith('tooltip ') && s.includes('healthy')));
    expect(await call(watching, { url: null })).toEqual({ ok: true, result: { restarting: true, watching: null } });
    expect(await watching.exited).toBe(0);
    expect(JSON.parse(fs.readFileSync(`${userData}/shell-settings.json`, 'utf8')).watch_url).toBeNull();
    expect(JSON.parse(fs.readFileSync(`${userData}/watch-token.json`, 'utf8')).token).toBeUndefined();
  }, 90_000);
});
