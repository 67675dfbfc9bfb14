/**
 * MCP clients reach the running app through its local socket by launching the app's own executable
 * as a stdio bridge: `<app> --mcp-bridge [socket]` (the socket defaults to the app's own). The
 * RunAsNode fuse is off, so a configuration written for it (`ELECTRON_RUN_AS_NODE=1 <app>
 * <resources>/mcp-bridge.mjs <socket>`) now starts the app with those arguments: it is recognised and
 * bridged the same way, so existing clients keep working. Null: start the app as usual.
 */
export function bridgeRequest(argv: string[], ownSocket: string): string | null {
  const flag = argv.indexOf('--mcp-bridge');
  if (flag >= 0) {
    const next = argv[flag + 1];
    return next && !next.startsWith('-') ? next : ownSocket;
  }
  const legacy = argv.findIndex((arg) => /(^|[\\/])mcp-bridge\.mjs$/.test(arg));
  if (legacy >= 0) return argv[legacy + 1] ?? process.env.MCO_MCP_SOCKET ?? ownSocket;
  return null;
}
