import net from 'node:net';

/**
 * Pipes this process's stdio to an MCP socket (the desktop app's or the service's): the bridge MCP
 * clients launch, and `mcp` when another process owns the data directory. Node built-ins only, so the
 * built bridge (out/bridge) is one small file that any Node, or Electron as Node, can run. `mcp`
 * passes the stdin its front read and the output it filters (src/server/stdio-handshake).
 */
export function bridgeStdioToSocket(socketPath: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      input.pipe(socket);
      socket.pipe(output);
    });
    socket.on('error', reject); // `on`: a second error after the first must not be unhandled
    socket.once('close', () => resolve());
    process.stdout.on('error', () => socket.destroy()); // the client went away (EPIPE)
    input.once('end', () => socket.end());
  });
}
