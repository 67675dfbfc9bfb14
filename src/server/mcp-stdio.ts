import net from 'node:net';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { ServiceConfig } from '../shared/schemas/config';
import type { PinnedSources } from '../core/monitor/settings-store';
import { createCore } from '../core/app-core';
import { failoverOptionsFrom, monitorSettingsFrom, sshOptionsFrom } from '../core/config/load-config';
import { readLockOwner } from '../core/registry/data-dir-lock';
import { defaultDataDir } from '../core/registry/data-dir';
import { createMcpServerFactory } from '../core/mcp/mcp-tools';
import { serveOwnerSocket } from '../core/mcp/mcp-socket';
import { VERSION } from './package-info';

/** Pipes stdio to the MCP socket of the process that owns the data directory. */
export function bridgeStdioToSocket(socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      process.stdin.pipe(socket);
      socket.pipe(process.stdout);
    });
    socket.on('error', reject); // `on`: a second error after the first must not be unhandled
    socket.once('close', () => resolve());
    process.stdout.on('error', () => socket.destroy()); // the client went away (EPIPE)
    process.stdin.once('end', () => socket.end());
  });
}

/**
 * `mcp-orchestrator mcp`: MCP over stdio for Claude Desktop, Claude Code, Cursor…
 * If a service or the desktop app already owns DATA_DIR, this talks to it over its local socket;
 * otherwise it runs the core itself (and serves the socket for others meanwhile).
 */
export async function runMcpStdio(config: ServiceConfig, settingSources: PinnedSources = {}): Promise<void> {
  const dataDir = config.DATA_DIR ?? defaultDataDir();
  const owner = readLockOwner(dataDir);
  if (owner?.socket) {
    await bridgeStdioToSocket(owner.socket);
    return;
  }
  const log = (line: string) => process.stderr.write(line + '\n'); // stdout carries the protocol
  const core = createCore({ dataDir, settings: monitorSettingsFrom(config), settingSources, nodesFilePath: config.NODES_FILE_PATH, log, ssh: sshOptionsFrom(config), failover: failoverOptionsFrom(config) });
  core.guardProcess();
  const mcpOptions = { version: VERSION, policy: config.MCP_COMMAND_POLICY, readOnly: config.MCP_READ_ONLY };
  const socket = await serveOwnerSocket(core, createMcpServerFactory(core, { ...mcpOptions, transport: 'socket' }));
  core.monitor.start();
  const handle = serveStdio(createMcpServerFactory(core, { ...mcpOptions, transport: 'stdio' }));
  const shutdown = async () => {
    await handle.close();
    await socket.close();
    await core.close();
    process.exit(0);
  };
  process.stdin.once('end', shutdown);
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
