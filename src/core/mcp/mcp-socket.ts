import fs from 'node:fs';
import net from 'node:net';
import type { McpServer } from '@modelcontextprotocol/server';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Core } from '../app-core';

/**
 * MCP over a local socket (a Unix socket with mode 0600, or a named pipe on Windows): the process
 * that owns the data directory serves it, and a tiny stdio bridge connects MCP clients to it.
 */
export async function listenMcpSocket(socketPath: string, factory: () => McpServer): Promise<{ close(): Promise<void> }> {
  if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true }); // a stale socket from a crash
  const connections = new Map<net.Socket, { close(): Promise<void> }>();
  const server = net.createServer((socket) => {
    const handle = serveStdio(factory, { transport: new StdioServerTransport(socket, socket), onerror: () => {} });
    connections.set(socket, handle);
    socket.on('close', () => {
      connections.delete(socket);
      void handle.close();
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
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Clients still attached are cut off, or close() would wait for them forever.
      for (const [socket, handle] of connections) {
        await handle.close();
        socket.destroy();
      }
      await closed;
    },
  };
}

/** Serves MCP on the owner socket and records it in the data-directory lock, where local clients look. */
export async function serveOwnerSocket(core: Core, factory: () => McpServer, dir = core.dataDir): Promise<{ close(): Promise<void> }> {
  const socketPath = mcpSocketPath(dir);
  const handle = await listenMcpSocket(socketPath, factory);
  core.lock.setSocket(socketPath);
  return handle;
}

/** Where the owner of a data directory listens for MCP. */
export function mcpSocketPath(dataDir: string): string {
  return process.platform === 'win32' ? `\\\\.\\pipe\\mcp-cloud-orchestrator-${Buffer.from(dataDir).toString('hex').slice(-32)}` : `${dataDir}/mcp.sock`;
}
