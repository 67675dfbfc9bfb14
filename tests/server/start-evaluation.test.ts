import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKED_CLI } from '../global-setup';
import { whenToolsListed } from '../../scripts/bench/startup';
import { tempDir } from '../helpers/temp-dir';

// Issue 43, item 3: what each start evaluates before its first answer. The CLI is one bundle, so
// require.cache cannot see inlined modules: a build of it whose every module marks its evaluation
// (scripts/build.mjs, MCO_BUILD_MARKERS) runs each start with a preload that also records the packages
// required from node_modules, and prints both once the start has answered. Serve on 127.106.2.1.
const BUNDLE = path.resolve(MARKED_CLI); // built by tests/global-setup.ts
const REPORT = path.resolve('tests/fixtures/evaluation-report.cjs');
const TOKEN = 'start-evaluation-token-0123456789';

/** Modules (bundle paths) and packages (require:name) a start evaluated by the time it first answered. */
function evaluatedBy(command: 'mcp' | 'serve'): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const args = [REPORT, BUNDLE, command, ...(command === 'serve' ? ['--host', '127.106.2.1', '--port', '18470'] : [])];
    const child = spawn(process.execPath, ['-r', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, DATA_DIR: tempDir(), HEALTH_CHECK_INTERVAL: '3600', API_TOKEN: TOKEN } });
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`${command} did not answer: ${err}`))), 20_000);
    let err = '';
    child.stderr.on('data', (chunk) => {
      err += chunk;
      const report = /__MCO_EVALUATED__(.*)\n/.exec(err);
      if (!report) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(JSON.parse(report[1]));
    });
    if (command === 'mcp') whenToolsListed(child, () => child.kill('SIGUSR2'));
    else {
      const poll = () => http.get('http://127.106.2.1:18470/health', (res) => (res.resume(), child.kill('SIGUSR2'))).on('error', () => setTimeout(poll, 20));
      poll();
    }
  });
}

/** The packages and sources in `evaluated` that match any of `deferred`. */
const found = (evaluated: string[], deferred: RegExp[]) => [...new Set(evaluated.filter((m) => deferred.some((re) => re.test(m))).map((m) => m.replace(/^(node_modules\/(@[^/]+\/)?[^/]+)\/.*/, '$1')))];

/** Loaded when first used, never by a start: external packages, and inlined ones. */
const NEVER_AT_START = [/^require:(ssh2|undici|nodemailer|docker-modem|re2js|cpu-features)$/, /^node_modules\/(prom-client|@opentelemetry|@fastify\/swagger|swagger)\//, /^src\/core\/peers\/bridge-socket\.ts$/];

describe('what a start evaluates before its first answer', () => {
  it('the stdio MCP server answers tools/list without the HTTP service, the lazy packages or conf\'s schema engines', async () => {
    const evaluated = await evaluatedBy('mcp');
    expect(evaluated).toContain('src/core/mcp/mcp-tools.ts'); // the markers work
    expect(found(evaluated, [...NEVER_AT_START, /^node_modules\/(fastify|@fastify|ws|find-my-way|avvio|ajv|ajv-formats|semver)\//, /^src\/server\/(http|routes)\//])).toEqual([]);
  }, 30_000);

  it('serve answers /health without the MCP server, prom-client, Swagger, Fastify\'s own schema compilers or the lazy packages', async () => {
    const evaluated = await evaluatedBy('serve');
    expect(evaluated).toContain('src/server/serve.ts');
    // Our zod compilers are given at construction, so Fastify never loads ajv or its serializer compiler.
    const fastifyCompilers = /^node_modules\/(ajv|ajv-formats|@fastify\/ajv-compiler|@fastify\/fast-json-stringify-compiler)\//;
    expect(found(evaluated, [...NEVER_AT_START, fastifyCompilers, /^node_modules\/@modelcontextprotocol\//, /^src\/core\/mcp\/mcp-tools\.ts$/])).toEqual([]);
  }, 30_000);
});
