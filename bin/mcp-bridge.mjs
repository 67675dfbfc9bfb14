#!/usr/bin/env node
// A tiny stdio bridge for MCP clients: connects stdin/stdout to the desktop app's (or the headless
// service's) local MCP socket. No dependencies, so a client can launch it with plain `node`.
//   node bin/mcp-bridge.mjs <socket path>
import net from 'node:net';

const socketPath = process.argv[2] ?? process.env.MCO_MCP_SOCKET;
if (!socketPath) {
  process.stderr.write('usage: mcp-bridge <socket path> (see README: MCP client setup)\n');
  process.exit(2);
}
const socket = net.connect(socketPath);
socket.on('connect', () => {
  process.stdin.pipe(socket);
  socket.pipe(process.stdout);
});
socket.on('error', (error) => {
  process.stderr.write(`mcp-bridge: cannot reach ${socketPath}: ${error.message}. Is the app running?\n`);
  process.exit(1);
});
socket.on('close', () => process.exit(0));
process.stdin.on('end', () => socket.end());
