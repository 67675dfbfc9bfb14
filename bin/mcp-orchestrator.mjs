#!/usr/bin/env node
// The package's command: `mcp-orchestrator serve | mcp | demo | import | export | import-tailscale`.
// It runs the bundle built by `npm run build` (out/cli). A git checkout that has never been built
// builds once here (a few seconds); a packed install ships it built.
import fs from 'node:fs';
import module from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = new URL('../out/cli/cli.js', import.meta.url);
const checkout = new URL('../.git', import.meta.url);
if (!fs.existsSync(entry) && fs.existsSync(checkout)) {
  process.stderr.write('Building once (npm run build)…\n');
  const built = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
// Node 22.1+ keeps compiled code on disk between starts (MCP clients start us at every session).
module.enableCompileCache?.();
await import(entry.href);
