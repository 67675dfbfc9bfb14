import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { caller } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';

// `npm pack`, then the tarball installed into an empty directory with run-time dependencies only, and
// `npx mcp-orchestrator serve | mcp` run there. Offline (loopback only): the install takes the
// dependencies' exact versions and integrities from our lockfile and their tarballs from npm's cache,
// which `npm ci` filled.
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
let project: string;
const clients: Client[] = [];

/** A lockfile for {dependencies: {mcp-cloud-orchestrator: file:<tarball>}}: ours minus development packages. */
function installLock(tarball: string): object {
  const ours = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
  const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'empty', dependencies: { 'mcp-cloud-orchestrator': spec } },
    'node_modules/mcp-cloud-orchestrator': { version: manifest.version, resolved: spec, license: manifest.license, dependencies: manifest.dependencies, bin: manifest.bin, engines: manifest.engines },
  };
  // Our lockfile records no download addresses; with the registry's usual tarball address npm takes
  // each tarball from its cache by integrity, with no request for package metadata (we stay offline).
  for (const [key, entry] of Object.entries<{ dev?: boolean; link?: boolean; version?: string; resolved?: string }>(ours.packages)) {
    if (!key.startsWith('node_modules/') || entry.dev || entry.link) continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages[key] = { resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').at(-1)}-${entry.version}.tgz`, ...entry };
  }
  return { name: 'empty', lockfileVersion: 3, requires: true, packages };
}

beforeAll(() => {
  project = tempDir('mco-install-');
  const packed = npm(['pack', '--ignore-scripts', '--pack-destination', project], process.cwd()); // global setup built out/
  expect(packed.status, packed.stderr).toBe(0);
  const tarball = packed.stdout.trim().split('\n').at(-1)!;
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'empty', private: true, dependencies: { 'mcp-cloud-orchestrator': `file:${tarball}` } }));
  fs.writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(installLock(tarball)));
  const installed = npm(['ci', '--offline', '--no-audit', '--no-fund'], project);
  expect(installed.status, installed.stdout + installed.stderr).toBe(0);
}, 150_000);
afterAll(async () => {
  for (const c of clients) await c.close();
});

describe('the npm package, installed from its tarball into an empty directory', () => {
  it('ships the built command and no development packages', () => {
    const pkg = path.join(project, 'node_modules/mcp-cloud-orchestrator');
    for (const file of ['bin/mcp-orchestrator.mjs', 'bin/mcp-bridge.mjs', 'out/bridge/mcp-bridge.mjs', 'out/cli/cli.cjs', 'out/web/index.html', 'out/docs/redoc.standalone.js', 'data/nodes.json']) expect(fs.existsSync(path.join(pkg, file)), file).toBe(true);
    expect(fs.existsSync(path.join(pkg, 'src'))).toBe(false);
    for (const devOnly of ['tsx', 'vite', 'esbuild', 'react', 'redoc', 'electron', 'typescript']) expect(fs.existsSync(path.join(project, 'node_modules', devOnly)), devOnly).toBe(false);
  });

  it('npx mcp-orchestrator serve answers HTTP, with the web UI and the API docs', async () => {
    const child = spawn('npx', ['--offline', 'mcp-orchestrator', 'serve', '--host', '127.58.0.2', '--port', '0'], { cwd: project, env: { ...process.env, DATA_DIR: tempDir() }, detached: true }); // its own group: npx's child goes too
    try {
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      await expect.poll(() => /Address:\s+(http:\S+)/.exec(out)?.[1], { timeout: 20_000 }).toBeDefined();
      const call = caller(/Address:\s+(http:\S+)/.exec(out)![1]);
      expect(await call('GET', '/health', { token: null })).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(String((await call('GET', '/', { token: null, headers: { accept: 'text/html' } })).body)).toContain('<div id="root">');
      expect((await call('GET', '/redoc/redoc.standalone.js', { token: null })).status).toBe(200);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
  }, 30_000);

  it('npx mcp-orchestrator mcp answers tools/list over stdio', async () => {
    const client = new Client({ name: 'packed-install-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(new StdioClientTransport({ command: 'npx', args: ['--offline', 'mcp-orchestrator', 'mcp'], cwd: project, env: { ...(process.env as Record<string, string>), DATA_DIR: tempDir(), HEALTH_CHECK_INTERVAL: '3600' }, stderr: 'pipe' }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('list_nodes');
  }, 30_000);
});
