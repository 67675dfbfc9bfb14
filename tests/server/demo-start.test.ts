import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureElectron } from '../../src/server/electron-binary';
import { detectDemoLoopback, placeDemoFleet } from '../../src/core/simulator/demo-fleet';
import { caller, TEST_TOKEN } from '../helpers/service';
import { demoNodesFileOn } from '../helpers/demo-nodes';
import { spawnDemo } from '../helpers/demo-process';
import { tempDir } from '../helpers/temp-dir';

// Issue 31: the demo on a fresh checkout (items 1, 2 and 7). Each demo here has its own loopback
// block (127.65–67.0.x) and port 0, so a person's `npm run demo` on 127.0.1.x:8000 is never in the way.

/** A stand-in `electron` package: no binary, and an install.js that does what `fetch` says. */
function fakeElectronPackage(fetch: 'fails' | 'succeeds'): string {
  const dir = tempDir('mco-electron-');
  const script =
    fetch === 'fails'
      ? "console.error('RequestError: getaddrinfo ENOTFOUND github.com\\n    at ClientRequest.<anonymous>'); process.exit(1);"
      : "const fs = require('fs'); fs.mkdirSync('dist'); fs.writeFileSync('dist/electron', ''); fs.writeFileSync('path.txt', 'electron');";
  fs.writeFileSync(path.join(dir, 'install.js'), script);
  return dir;
}

describe('finding Electron (item 1)', () => {
  const display = { DISPLAY: ':0' };

  it('fetches the binary with install.js when it is missing, and uses it', async () => {
    const lines: string[] = [];
    const found = await ensureElectron({ packageDir: fakeElectronPackage('succeeds'), env: display, platform: 'linux', log: (l) => lines.push(l) });
    expect(found.binary).toMatch(/dist[/\\]electron$/);
    expect(lines.join('\n')).toMatch(/downloading it once with .*install\.js/);
  });

  it('says in one line that it tried to download Electron and why that failed', async () => {
    const found = await ensureElectron({ packageDir: fakeElectronPackage('fails'), env: display, platform: 'linux', log: () => {} });
    expect(found).toEqual({ binary: null, reason: 'tried to download Electron and could not: RequestError: getaddrinfo ENOTFOUND github.com' });
  });

  it('does not download where it could not run or was told not to', async () => {
    const packageDir = fakeElectronPackage('succeeds');
    expect((await ensureElectron({ packageDir, env: {}, platform: 'linux' })).reason).toMatch(/no graphical display/);
    expect((await ensureElectron({ packageDir, env: { ...display, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, platform: 'linux' })).reason).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD is set/);
    expect((await ensureElectron({ packageDir: null })).reason).toMatch(/electron package is not installed/);
    expect(fs.existsSync(path.join(packageDir, 'path.txt'))).toBe(false);
  });

  const realBinary = fs.existsSync(path.resolve('node_modules/electron/path.txt'));
  if (realBinary) console.log('[skip] npm run demo without Electron: this checkout has the Electron binary');
  it.skipIf(realBinary)('npm run demo with no binary and no way to fetch one comes up headless, saying it tried and why it failed', async () => {
    // .ci/run sets ELECTRON_SKIP_BINARY_DOWNLOAD for npm ci; undefined takes it out of the demo's environment.
    const env = { DISPLAY: ':99', ELECTRON_MIRROR: 'http://127.65.1.1:9/', ELECTRON_SKIP_BINARY_DOWNLOAD: undefined, DATA_DIR: tempDir(), NODES_FILE_PATH: demoNodesFileOn(65), API_TOKEN: TEST_TOKEN };
    const demo = spawnDemo(env, []);
    await demo.ready();
    expect(demo.output()).toContain('downloading it once with');
    expect(demo.output()).toMatch(/^No desktop app: tried to download Electron and could not: RequestError: connect ECONNREFUSED 127\.65\.1\.1:9\. Starting the headless service and web UI instead\.$/m);
    expect(fs.existsSync(path.resolve('node_modules/electron/path.txt'))).toBe(false);
    expect(await demo.stop()).toBe(0);
  }, 90_000);
});

describe('a second demo (item 2)', () => {
  it('whose addresses or port are taken says so in one line, naming the address and the data dir of the one running, and exits non-zero', async () => {
    const firstDir = tempDir();
    const nodesFile = demoNodesFileOn(66);
    const first = spawnDemo({ DATA_DIR: firstDir, NODES_FILE_PATH: nodesFile, API_TOKEN: TEST_TOKEN });
    const url = await first.ready();
    try {
      const sameAddresses = spawnDemo({ DATA_DIR: tempDir(), NODES_FILE_PATH: nodesFile });
      expect(await sameAddresses.exited).not.toBe(0);
      const lines = sameAddresses.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^error: 127\\.66\\.0\\.\\d+:\\d+ is taken by the demo already running \\(pid ${first.child.pid}, data dir ${firstDir.replaceAll('.', '\\.')}, ${url.replaceAll('.', '\\.')}\\)`));

      const port = new URL(url).port;
      const samePortDir = tempDir();
      const samePort = spawnDemo({ DATA_DIR: samePortDir, NODES_FILE_PATH: demoNodesFileOn(67), PORT: port });
      expect(await samePort.exited).not.toBe(0);
      // At once: nothing simulated, nothing imported into its data dir (issue 40, item 19).
      expect(samePort.output()).not.toContain('Simulating');
      expect(fs.existsSync(path.join(samePortDir, 'nodes.json'))).toBe(false);
      expect(samePort.output()).toMatch(new RegExp(`^error: 127\\.0\\.0\\.1:${port} is taken by the demo already running \\(pid ${first.child.pid}, data dir ${firstDir.replaceAll('.', '\\.')}`, 'm'));
      expect(samePort.output().trim().split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
      expect((await caller(url)('GET', '/health', { token: null })).status).toBe(200); // the first one is unharmed
    } finally {
      expect(await first.stop()).toBe(0);
    }
  }, 90_000);
});

describe('the demo where loopback has only 127.0.0.1, as on macOS (item 7)', () => {
  it('detects a missing loopback address and places every node on 127.0.0.1 with ports of its own', async () => {
    expect(await detectDemoLoopback({ nodes: { a: { tailscale_ip: '127.65.2.1' } } })).toBe('per-node'); // Linux: all of 127/8
    expect(await detectDemoLoopback({ nodes: { a: { tailscale_ip: '192.0.2.1' } } })).toBe('single'); // not configured here: EADDRNOTAVAIL
    const placed = placeDemoFleet({ nodes: { a: { tailscale_ip: '127.0.1.1', probes: [{ type: 'http', port: 9100 }], ssh: { port: 2222 } }, b: { tailscale_ip: '127.0.1.2', probes: [{ type: 'tcp', port: 2222 }], ssh: {} } } }, 'single');
    expect(placed.nodes).toEqual({
      a: { tailscale_ip: '127.0.0.1', probes: [{ type: 'http', port: 9100 }], ssh: { port: 2222 } },
      b: { tailscale_ip: '127.0.0.1', probes: [{ type: 'tcp', port: 2223 }], ssh: { port: 23 } },
    });
  });

  it('runs the whole demo fleet on 127.0.0.1 (DEMO_LOOPBACK=single), every node checked healthy', async () => {
    // Ports below Linux's ephemeral range, away from the shipped 9100/2222.
    const nodesFile = demoNodesFileOn(65, tempDir(), { http: 19100, ssh: 12222 });
    const demo = spawnDemo({ DATA_DIR: tempDir(), NODES_FILE_PATH: nodesFile, API_TOKEN: TEST_TOKEN, DEMO_LOOPBACK: 'single' });
    const url = await demo.ready();
    try {
      expect(demo.output()).toContain('on 127.0.0.1, each with ports of its own');
      const rest = caller(url);
      const nodes = (await rest('GET', '/cluster/nodes')).body.nodes as Array<{ id: string; tailscale_ip: string; probes: Array<{ port: number }>; ssh: { port: number } }>;
      expect(nodes).toHaveLength(17);
      expect(new Set(nodes.map((n) => n.tailscale_ip))).toEqual(new Set(['127.0.0.1']));
      expect(new Set(nodes.map((n) => n.ssh.port)).size).toBe(17);
      expect(nodes.find((n) => n.id === 'node-03')!.probes.map((p) => p.port)).toEqual([19102, 12224]);
      const end = Date.now() + 45_000;
      let healthy = 0;
      while (Date.now() < end && healthy < 17) {
        await rest('POST', '/cluster/health-check', {});
        healthy = ((await rest('GET', '/cluster/status')).body as { healthy_nodes: number }).healthy_nodes;
        if (healthy < 17) await new Promise((r) => setTimeout(r, 500));
      }
      expect(healthy).toBe(17); // before node-07's scripted outage at 20 s
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  }, 90_000);
});
