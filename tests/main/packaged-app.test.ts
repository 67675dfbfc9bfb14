import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractAll, listPackage } from '@electron/asar';
import { caller } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';
import { LiveShell, runShell } from '../helpers/electron-stub';

// `npm run package`'s packaging step, for real, offline: electron-builder --linux dir with a stand-in
// Electron distribution (a folder with an `electron` file, `version` and `resources/`; no binary can be
// downloaded here). Then the packaged main process runs, from that layout, against the stand-in
// Electron API with every setting on: isPackaged, process.resourcesPath = the layout's resources/.
const ELECTRON_VERSION = JSON.parse(fs.readFileSync('node_modules/electron/package.json', 'utf8')).version as string;
/** Issue 43: the main process is bundled with its dependencies, so no node_modules goes in (it was 29 MB). */
const MAX_ASAR_BYTES = 10 * 1024 * 1024;
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar, BrowserV8Snapshot, FileProtocolPrivileges. */
const ELECTRON_DEFAULT_FUSES = '10110001';
let fuses: string;
let resources: string;
let asar: string;
let entries: string[];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(() => {
  const dist = tempDir('mco-edist-');
  // With Electron's fuse wire (@electron/fuses' sentinel, version 1, 8 fuses at Electron 40's defaults),
  // so electron-builder flips the fuses in it as it would in the real binary.
  fs.writeFileSync(path.join(dist, 'electron'), `#!/bin/sh\necho stand-in for the Electron binary\n# ${FUSE_SENTINEL}\x01\x08${ELECTRON_DEFAULT_FUSES}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dist, 'version'), ELECTRON_VERSION);
  fs.mkdirSync(path.join(dist, 'resources'));
  const output = tempDir('mco-release-');
  const packaged = spawnSync(process.execPath, ['node_modules/electron-builder/cli.js', '--linux', 'dir', `-c.electronDist=${dist}`, `-c.directories.output=${output}`], { encoding: 'utf8', timeout: 120_000 });
  expect(packaged.status, packaged.stdout + packaged.stderr).toBe(0);
  resources = path.join(output, 'linux-unpacked/resources');
  const binary = fs.readFileSync(path.join(output, 'linux-unpacked/mcp-cloud-orchestrator'), 'latin1');
  fuses = binary.slice(binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length + 2, binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length + 10);
  asar = path.join(resources, 'app.asar');
  entries = listPackage(asar, { isPack: false });
  // Electron also runs an app from resources/app; extracted there, Node can load it.
  extractAll(asar, path.join(resources, 'app'));
}, 150_000);

describe('npm run package (electron-builder, linux dir, stand-in Electron)', () => {
  it('flips the Electron fuses in the packaged binary as electron-builder.yml says (issue 33, finding 6)', () => {
    // RunAsNode off (the MCP bridge is --mcp-bridge, issue 39 finding 10), cookies encrypted, NODE_OPTIONS and --inspect off, asar integrity and asar-only on, no browser V8 snapshot, file:// privileges on.
    expect(fuses).toBe('01001101');
  });

  it('app.asar holds the built app and package.json, and no build-time code', () => {
    for (const file of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json']) expect(entries).toContain(file);
    for (const devOnly of ['tsx', 'vite', 'esbuild', 'react', 'react-dom', 'redoc', 'electron-vite', 'rolldown']) expect(entries, devOnly).not.toContain(`/node_modules/${devOnly}`);
    expect(entries.filter((e) => e.startsWith('/out/cli') || e.endsWith('.map'))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(resources, 'app/package.json'), 'utf8'));
    expect(manifest.desktopName).toBe('mcp-cloud-orchestrator.desktop');
  });

  it(`app.asar is at most 10 MB, with no node_modules in it`, () => {
    const size = fs.statSync(asar).size;
    console.log(`app.asar: ${(size / 1024 / 1024).toFixed(1)} MB`);
    expect(size).toBeLessThanOrEqual(MAX_ASAR_BYTES);
    expect(entries.filter((e) => e.startsWith('/node_modules'))).toEqual([]);
  });

  it('tray, window and notification icons and data/nodes.json are outside app.asar, where main looks', () => {
    for (const colour of ['green', 'amber', 'red', 'grey'])
      for (const variant of ['', '@2x', 'Template', 'Template@2x']) expect(fs.existsSync(path.join(resources, `icons/tray-${colour}${variant}.png`)), `${colour}${variant}`).toBe(true);
    expect(fs.existsSync(path.join(resources, 'icons/icon.png'))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(resources, 'data/nodes.json'), 'utf8')).nodes).toBeTypeOf('object');
    expect(entries.filter((e) => e.startsWith('/resources'))).toEqual([]);
  });
});

describe('the packaged main process (stand-in Electron API), every setting on', () => {
  let shell: LiveShell;
  let userData: string;
  let configDir: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  const main = () => path.join(resources, 'app/out/main/index.js');

  beforeAll(async () => {
    userData = tempDir();
    configDir = tempDir();
    port = await freePort();
    fs.writeFileSync(path.join(userData, 'shell-settings.json'), JSON.stringify({ serve_rest_api: true, rest_port: port, start_at_login: true, notifications: true, command_policy: 'allow', window_bounds: { x: 10, y: 10, width: 900, height: 700 } }));
    // A packaged app must ignore a dev server URL (and not trust it for IPC).
    env = { STUB_PACKAGED: '1', STUB_RESOURCES_PATH: resources, STUB_USER_DATA: userData, XDG_CONFIG_HOME: configDir, ELECTRON_RENDERER_URL: 'http://127.58.0.1:5173/', DATA_DIR: '', HEALTH_CHECK_INTERVAL: '3600' };
    delete env.DATA_DIR;
    shell = new LiveShell(main(), env);
    await shell.waitFor((o) => o.step('ready') !== undefined);
  }, 30_000);
  afterAll(() => shell?.kill());

  it('starts with every icon path present, its own page, and start at login written', () => {
    const { stub, step } = shell.output;
    expect(step('ready')).toMatchObject({ shell: { serve_rest_api: true, start_at_login: true, command_policy: 'allow' } });
    expect(stub.filter((s) => s.startsWith('MISSING') || s.startsWith('ERRORBOX'))).toEqual([]);
    expect(stub).toContain(`icon window ${path.join(resources, 'icons/icon.png')}`);
    expect(stub).toContain(`icon tray ${path.join(resources, 'icons/tray-grey.png')}`);
    expect(stub).toContain(`loadURL file://${path.join(resources, 'app/out/renderer/index.html')}`);
    const entry = fs.readFileSync(path.join(configDir, 'autostart/mcp-cloud-orchestrator.desktop'), 'utf8');
    expect(entry).toMatch(/^Exec=.* --hidden$/m);
  });

  it('answers a real HTTP request on the embedded REST API, with the web UI from the package', async () => {
    const call = caller(`http://127.0.0.1:${port}`);
    expect(await call('GET', '/health', { token: null })).toMatchObject({ status: 200, body: { status: 'ok' } });
    const token = fs.readFileSync(path.join(userData, 'data/api-token'), 'utf8').trim();
    expect(await call('GET', '/', { token })).toMatchObject({ status: 200, body: { version: '0.2.0-stub' } });
    expect(await call('GET', '/cluster/status', { token })).toMatchObject({ status: 200, body: { total_nodes: expect.any(Number) } });
    const page = await call('GET', '/', { token: null, headers: { accept: 'text/html' } });
    expect(String(page.body)).toContain('<div id="root">');
    expect((await call('GET', '/redoc/redoc.standalone.js', { token: null })).status).toBe(200);
    // Swagger UI from out/docs/swagger-ui: the bundled main has no package folder beside its code.
    const docs = await call('GET', '/docs/', { token: null });
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger-ui-bundle.js');
    const bundle = await call('GET', '/docs/static/swagger-ui-bundle.js', { token: null });
    expect(bundle.status).toBe(200);
    expect(String(bundle.body).length).toBeGreaterThan(1_000_000);
  });

  it('loads every subsystem it defers from its own bundle (no node_modules in the package): undici, ssh2, nodemailer, prom-client', async () => {
    const call = caller(`http://127.0.0.1:${port}`);
    const token = fs.readFileSync(path.join(userData, 'data/api-token'), 'utf8').trim();
    const target = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.58.9.1', resolve));
    try {
      const probePort = (target.address() as net.AddressInfo).port;
      const added = await call('POST', '/cluster/nodes', { token, body: { id: 'probe-1', hostname: 'probe-1', tailscale_ip: '127.58.9.1', role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'http', port: probePort, path: '/' }], ssh: { user: 'nobody', port: 1 } } });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      const swept = await call('POST', '/cluster/health-check', { token });
      expect(swept.body.nodes.find((n: { id: string }) => n.id === 'probe-1').health.status).not.toBe('unknown');
      expect((await call('GET', '/cluster/nodes/probe-1', { token })).body.health.error).toBeNull(); // an HTTP probe answered, through undici
      expect(String((await call('GET', '/metrics', { token })).body)).toContain('mco_node_up');
      const ran = await call('POST', '/cluster/commands', { token, body: { node_ids: ['probe-1'], command: 'true' } });
      expect(JSON.stringify(ran.body)).toMatch(/refused/); // ssh2 tried, and the port refused
      await call('PUT', '/cluster/alerts', { token, body: { channels: [{ id: 'mail', type: 'email', host: '127.58.9.1', port: 1, from: 'mco@example.org', to: ['ops@example.org'] }] } });
      const tested = await call('POST', '/cluster/alerts/test', { token, body: { channel_id: 'mail' } });
      expect(tested.body.results[0]).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED|refused/) }); // nodemailer tried
      const output = JSON.stringify(shell.output);
      expect(output).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND|Cannot find package/);
    } finally {
      target.close();
    }
  });

  it('a second instance exits at once with 0, and the first one gets second-instance and shows its window', async () => {
    const second = runShell(main(), 'smoke', env);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stub).toEqual(['exit 0']); // no window, no core, no "could not start"
    await shell.waitFor((o) => o.stub.includes('second-instance'));
    await shell.waitFor((o) => o.stub.lastIndexOf('show') > o.stub.indexOf('second-instance'));
  });

  it('quit runs the whole cleanup: REST closed, socket removed, data-dir lock released, exit 0', async () => {
    expect(fs.existsSync(path.join(userData, 'mcp.sock'))).toBe(true);
    expect(fs.existsSync(path.join(userData, 'data/owner.lock'))).toBe(true);
    shell.send('quit');
    expect(await shell.exited).toBe(0);
    const { stub } = shell.output;
    expect(stub).toContain('tray destroyed');
    expect(stub.at(-1)).toBe('exit 0');
    expect(fs.existsSync(path.join(userData, 'mcp.sock'))).toBe(false);
    expect(fs.existsSync(path.join(userData, 'data/owner.lock'))).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
