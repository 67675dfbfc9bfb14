#!/usr/bin/env node
// The package's command: `mcp-orchestrator serve | desktop | mcp | demo | import | export | import-tailscale`.
// It runs the bundle built by `npm run build` (out/cli), from V8's code cache once warm: MCP clients
// start us at every session.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { builtEntry } from './built-entry.mjs';
import { runCodeCached } from './run-code-cached.mjs';

const COMMANDS = ['serve', 'desktop', 'mcp', 'demo', 'import', 'export', 'import-tailscale'];
const command = process.argv[2];
const bundle = fileURLToPath(builtEntry('out/cli/cli.cjs'));
if (command === 'mcp') {
  // A client's opening may be answered from its record while the bundle loads (src/server/stdio-handshake).
  const front = createRequire(import.meta.url)(fileURLToPath(builtEntry('out/cli/stdio-front.cjs')));
  front.answerFromRecord(bundle, () => runCodeCached(bundle, command));
} else runCodeCached(bundle, COMMANDS.includes(command) ? command : 'other');
