#!/usr/bin/env node
// The stdio bridge for MCP clients: connects stdin/stdout to the desktop app's (or the headless
// service's) local MCP socket. It runs the built out/bridge/mcp-bridge.mjs (Node built-ins only).
//   node bin/mcp-bridge.mjs <socket path>
import { builtEntry } from './built-entry.mjs';

await import(builtEntry('out/bridge/mcp-bridge.mjs'));
