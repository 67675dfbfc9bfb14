#!/usr/bin/env node
// The package's command: `mcp-orchestrator serve | desktop | mcp | demo | import | export | import-tailscale`.
// It runs the bundle built by `npm run build` (out/cli), from V8's code cache once warm: MCP clients
// start us at every session.
import { fileURLToPath } from 'node:url';
import { builtEntry } from './built-entry.mjs';
import { runCodeCached } from './run-code-cached.mjs';

const COMMANDS = ['serve', 'desktop', 'mcp', 'demo', 'import', 'export', 'import-tailscale'];
const command = process.argv[2];
runCodeCached(fileURLToPath(builtEntry('out/cli/cli.cjs')), COMMANDS.includes(command) ? command : 'other');
