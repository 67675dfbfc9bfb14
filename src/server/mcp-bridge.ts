import { bridgeStdioToSocket } from '../core/mcp/socket-bridge';

// The stdio bridge MCP clients launch to reach the desktop app (or a headless service) over its local
// MCP socket:  node mcp-bridge.mjs <socket path>  (or MCO_MCP_SOCKET). Built to out/bridge/mcp-bridge.mjs;
// the desktop package ships it beside app.asar, bin/mcp-bridge.mjs runs it from a checkout or npm install.
const socketPath = process.argv[2] ?? process.env.MCO_MCP_SOCKET;
if (!socketPath) {
  process.stderr.write('usage: mcp-bridge <socket path> (see README: MCP client setup)\n');
  process.exit(2);
}
bridgeStdioToSocket(socketPath).then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`mcp-bridge: cannot reach ${socketPath}: ${error.message}. Is the app running?\n`);
    process.exit(1);
  },
);
