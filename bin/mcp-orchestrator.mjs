#!/usr/bin/env node
// The package's command: `mcp-orchestrator serve | mcp | demo | import | export | import-tailscale`.
// It runs the bundle built by `npm run build` (out/cli).
import module from 'node:module';
import { builtEntry } from './built-entry.mjs';

const entry = builtEntry('out/cli/cli.js');
// Node 22.1+ keeps compiled code on disk between starts (MCP clients start us at every session).
module.enableCompileCache?.();
await import(entry);
