#!/usr/bin/env node
// `npm run build`: everything that runs, as bundled JavaScript (no tsx at run time):
//   out/cli      the command line (serve, mcp, demo, import, export, import-tailscale), esbuild, one
//                CommonJS file; run-time packages stay external (dependencies); and the stdio MCP
//                front (stdio-front.cjs), which answers a recorded opening before the bundle loads
//   out/bridge   the stdio bridge MCP clients launch to reach the desktop app's socket (one file)
//   out/main, out/preload, out/renderer   the Electron app (electron-vite)
//   out/web      the web UI the headless service serves (the renderer, built with base '/')
//   out/docs     ReDoc's standalone script, so redoc is a build-time package only, and Swagger UI's assets
// `--cli` builds out/cli and out/bridge alone (the bench uses it).
// MCO_BUILD_MARKERS=<file> builds only the CLI, to <file>, with every module marking its evaluation
// (tests/server/start-evaluation.test.ts: what a start evaluates, though inlined).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const only = process.argv.includes('--cli') ? 'cli' : null;

// Bundled into out/cli rather than loaded from node_modules: ESM packages of many small files that
// every start needs (zod alone is ~100 files). They share one zod instance inside the bundle.
const BUNDLED = ['zod', '@modelcontextprotocol/server', '@modelcontextprotocol/node', 'fastify-type-provider-zod', 'conf', 'dotenv', 'env-paths', 'fastify', '@fastify/swagger', '@fastify/websocket', 'ws', 'prom-client'];
// ws's optional native speed-ups, required inside try/catch; absent, ws uses its JavaScript code.
const OPTIONAL = ['bufferutil', 'utf-8-validate'];

// zod's namespace re-exports every message locale (z.locales: ~260 kB, over half of zod in the
// bundle), which every start would parse. Nothing here uses a locale but the default English one
// (messages become our own field errors), so the bundle's z.locales carries English alone.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(path.dirname(args.importer), args.path), namespace: 'zod-locales' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`, resolveDir: path.dirname(args.path) }));
  },
};

// conf validates with ajv and migrates with semver only when given a schema or migrations, which
// src/core/registry/json-store.ts never passes; imported at its top, they were evaluated at every
// start (ajv alone is some 150 modules). In the bundle they are stubs that say so if ever called.
const confWithoutSchemas = {
  name: 'conf-without-schemas',
  setup(build) {
    build.onResolve({ filter: /^(ajv\/dist\/2020\.js|ajv-formats|semver)$/ }, (args) =>
      /[\\/]node_modules[\\/]conf[\\/]/.test(args.importer) ? { path: args.path, namespace: 'conf-unused' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'conf-unused' }, (args) => ({
      contents: `const unused = () => { throw new Error(${JSON.stringify(`conf: ${args.path} is left out of this bundle (no schema or migrations are used)`)}); };
        export default unused; export const Ajv2020 = unused; export const eq = unused, clean = unused, satisfies = unused, lte = unused, gt = unused;`,
      loader: 'js',
    }));
  },
};

// Each module, when evaluated, adds its path to globalThis.__mcoEvaluated: bundled code is invisible
// to require.cache, so this is how a test sees which inlined modules a start ran.
const evaluationMarkers = {
  name: 'evaluation-markers',
  setup(build) {
    build.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, async (args) => {
      const source = (await fs.promises.readFile(args.path, 'utf8')).replace(/^#!.*/, '');
      const name = path.relative(root, args.path).split(path.sep).join('/');
      const marker = `(globalThis.__mcoEvaluated ??= new Set()).add(${JSON.stringify(name)});\n`;
      // After a 'use strict' prologue, which must stay first to count.
      const prologue = /^(?:\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)?)*\s*(?:(['"])use strict\1;?)?/.exec(source)?.[0] ?? '';
      return { contents: prologue + ';\n' + marker + source.slice(prologue.length), loader: args.path.endsWith('.ts') ? 'ts' : 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

// The MCP tools' JSON Schemas, converted once here rather than at every session's first tools/list.
function toolJsonSchemas() {
  return execFileSync(process.execPath, ['bin/run-ts.mjs', 'scripts/tool-json-schemas.ts'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

// What every bundle of ours for Node shares.
const FOR_NODE = { bundle: true, platform: 'node', target: 'node20.19', minify: !process.env.MCO_BUILD_NO_MINIFY, logLevel: 'warning' };

async function buildCli() {
  const { build } = await import('esbuild');
  const dependencies = Object.keys(JSON.parse(fs.readFileSync('package.json', 'utf8')).dependencies);
  const external = [...dependencies.filter((d) => !BUNDLED.includes(d)), ...OPTIONAL].flatMap((d) => [d, `${d}/*`]);
  const markers = process.env.MCO_BUILD_MARKERS;
  if (!markers) fs.rmSync('out/cli', { recursive: true, force: true });
  const result = await build({
    entryPoints: ['src/server/cli.ts'],
    // One CommonJS file, which bin/run-code-cached.mjs compiles with V8's code cache: a warm start then
    // parses nothing (Node 20 has no module compile cache). Lazily imported subsystems stay lazy: their
    // functions are compiled at first call, not at start.
    outfile: markers ?? 'out/cli/cli.cjs',
    ...FOR_NODE,
    format: 'cjs',
    external,
    // import('ssh2') becomes require('ssh2') when first used: every external package is CommonJS, and a
    // vm.Script has no module loader for import().
    supported: { 'dynamic-import': false },
    define: { __MCO_TOOL_JSON_SCHEMAS__: JSON.stringify(toolJsonSchemas()), 'import.meta.url': '__mcoImportMetaUrl' },
    banner: { js: "var __mcoImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: 'linked',
    // Licence comments go to cli.cjs.LEGAL.txt beside it: one held a non-ASCII name, and an ASCII
    // bundle is read as Latin-1, faster than UTF-8 (bin/run-code-cached.mjs).
    legalComments: 'linked',
    plugins: [zodEnglishOnly, confWithoutSchemas, ...(markers ? [evaluationMarkers] : [])],
    // MCO_BUILD_METAFILE=<file>: what the bundle carries (for https://esbuild.github.io/analyze/).
    metafile: Boolean(process.env.MCO_BUILD_METAFILE),
  });
  if (process.env.MCO_BUILD_METAFILE) fs.writeFileSync(process.env.MCO_BUILD_METAFILE, JSON.stringify(result.metafile));
  if (markers) return;
  // What `mcp` runs first: answers a client's opening from its record before out/cli/cli.cjs is read
  // (src/server/stdio-handshake). Node built-ins only, a few kB.
  await build({
    entryPoints: ['src/server/stdio-handshake/front.ts'],
    outfile: 'out/cli/stdio-front.cjs',
    ...FOR_NODE,
    format: 'cjs',
  });
}

// The stdio bridge to a running app's MCP socket: one self-contained file of Node built-ins, which the
// desktop package ships beside app.asar (electron-builder.yml) and bin/mcp-bridge.mjs runs.
async function buildBridge() {
  const { build } = await import('esbuild');
  fs.rmSync('out/bridge', { recursive: true, force: true });
  await build({
    entryPoints: ['src/server/mcp-bridge.ts'],
    outfile: 'out/bridge/mcp-bridge.mjs',
    ...FOR_NODE,
    format: 'esm',
  });
}

function copyRedoc() {
  const require = createRequire(import.meta.url);
  const script = require.resolve('redoc/bundles/redoc.standalone.js');
  fs.mkdirSync('out/docs', { recursive: true });
  fs.copyFileSync(script, 'out/docs/redoc.standalone.js');
  // Swagger UI's pages and scripts, served from here: the desktop's main process is bundled, so the
  // package's own static folder is not beside its code there.
  const swaggerStatic = path.join(path.dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
  fs.rmSync('out/docs/swagger-ui', { recursive: true, force: true });
  // swagger-ui.js is the unbundled build, which its page never loads.
  fs.cpSync(swaggerStatic, 'out/docs/swagger-ui', { recursive: true, filter: (file) => path.basename(file) !== 'swagger-ui.js' });
}

async function buildApps() {
  // vitest or a caller may set NODE_ENV=test, which would ship React's development build.
  process.env.NODE_ENV = 'production';
  const { build: electronVite } = await import('electron-vite');
  await electronVite({ logLevel: 'warn' });
  const { build: vite } = await import('vite');
  await vite({ configFile: 'vite.web.config.ts', mode: 'production', logLevel: 'warn' });
}

const started = Date.now();
await buildCli();
if (process.env.MCO_BUILD_MARKERS) process.exit(0);
await buildBridge();
copyRedoc();
if (!only) await buildApps();
console.error(`built ${only ? 'cli, bridge' : 'cli, bridge, docs, main, preload, renderer, web'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
