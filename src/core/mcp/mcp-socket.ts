import fs from 'node:fs';
import net from 'node:net';
import type { McpServer } from '@modelcontextprotocol/server';
import type { Core } from '../app-core';

/** Loads, at the first connection, what builds an MCP server per connection. */
export type McpFactoryLoader = () => Promise<() => McpServer>;
type Handle = { close(): Promise<void> } | null;

/**
 * MCP over a local socket (a Unix socket with mode 0600, or a named pipe on Windows): the process
 * that owns the data directory serves it, and a tiny stdio bridge connects MCP clients to it.
 */
export interface McpSocketHandle {
  /** Resolves once no client is attached (at once if none is). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function listenMcpSocket(socketPath: string, loadFactory: McpFactoryLoader): Promise<McpSocketHandle> {
  if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true }); // a stale socket from a crash
  // The SDK and the tools load with the first client, not with the process that owns the socket; a
  // client's first bytes wait in the (paused) socket meanwhile.
  let loaded: Promise<{ serve: (socket: net.Socket) => Handle }> | undefined;
  const load = () =>
    (loaded ??= Promise.all([import('@modelcontextprotocol/server/stdio'), loadFactory()]).then(([{ serveStdio, StdioServerTransport }, factory]) => ({
      serve: (socket: net.Socket) => serveStdio(factory, { transport: new StdioServerTransport(socket, socket), onerror: () => {} }),
    })));
  const connections = new Map<net.Socket, Promise<Handle>>();
  const idleWaiters: Array<() => void> = [];
  const server = net.createServer((socket) => {
    const handle = load().then(
      ({ serve }) => (socket.destroyed ? null : serve(socket)),
      () => {
        loaded = undefined; // tried again by the next client
        socket.destroy();
        return null;
      },
    );
    connections.set(socket, handle);
    socket.on('close', () => {
      connections.delete(socket);
      void handle.then((h) => h?.close());
      if (connections.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Created owner-only from the start, so there is no moment another user could connect.
    const previous = process.umask(0o177);
    server.listen(socketPath, () => {
      process.umask(previous);
      resolve();
    });
  });
  if (process.platform !== 'win32') fs.chmodSync(socketPath, 0o600);
  return {
    idle: () => (connections.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Clients still attached are cut off, or close() would wait for them forever.
      for (const [socket, handle] of connections) {
        await (await handle)?.close();
        socket.destroy();
      }
      await closed;
    },
  };
}

/** Serves MCP on the owner socket and records it in the data-directory lock, where local clients look. */
export async function serveOwnerSocket(core: Core, loadFactory: McpFactoryLoader, dir = core.dataDir): Promise<McpSocketHandle> {
  const socketPath = mcpSocketPath(dir);
  const handle = await listenMcpSocket(socketPath, loadFactory);
  core.lock.setSocket(socketPath);
  return handle;
}

/** Where the owner of a data directory listens for MCP. */
export function mcpSocketPath(dataDir: string): string {
  return process.platform === 'win32' ? `\\\\.\\pipe\\mcp-cloud-orchestrator-${Buffer.from(dataDir).toString('hex').slice(-32)}` : `${dataDir}/mcp.sock`;
}
