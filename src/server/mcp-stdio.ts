import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceConfig } from '../shared/schemas/config';
import type { PinnedSources } from '../core/monitor/settings-store';
import { OrchestratorError } from '../shared/errors';
import { readLockOwnerAsync } from '../core/registry/data-dir-owner';
import { defaultDataDir } from '../core/registry/data-dir';
import { bridgeStdioToSocket } from '../core/mcp/socket-bridge';
import { takeHandoff } from './stdio-handshake/record';

/** How long a session that lost the data directory to another starting at once waits for its socket. */
const OWNER_SOCKET_WAIT_MS = 3000;

/**
 * `mcp-orchestrator mcp`: MCP over stdio for Claude Desktop, Claude Code, Cursor…
 * If a service or the desktop app already owns DATA_DIR, this talks to it over its local socket;
 * otherwise it runs the core itself (and serves the socket for others meanwhile). The front
 * (stdio-handshake/front.ts) may have answered the client's opening already: its handoff says what.
 */
export async function runMcpStdio(config: ServiceConfig, settingSources: PinnedSources = {}): Promise<void> {
  const dataDir = config.DATA_DIR ?? defaultDataDir();
  const handoff = takeHandoff();
  const bridge = async (socket: string) => {
    const { clientOutput } = await import('./stdio-handshake/recording-transport');
    const input = handoff?.input ?? process.stdin;
    await bridgeStdioToSocket(socket, input, clientOutput(handoff));
    // The owner is gone (or the client): end this process too, so the client sees it and can start another.
    input.destroy();
    process.stdin.destroy();
  };
  const owner = await readLockOwnerAsync(dataDir);
  if (owner?.socket) return bridge(owner.socket);
  // Only a process that runs the core itself loads it (and the SDK); a bridge needs none of it.
  const [{ serveStdio }, { openCore }, { failoverOptionsFrom, monitorSettingsFrom, sshOptionsFrom }, { createMcpServerFactory }, { serveOwnerSocket }, { VERSION }, { openStdioTransport }, { SERVICE_CONFIG_KEYS }] = await Promise.all([
    import('@modelcontextprotocol/server/stdio'),
    import('../core/app-core'),
    import('../core/config/load-config'),
    import('../core/mcp/mcp-tools'),
    import('../core/mcp/mcp-socket'),
    import('./package-info'),
    import('./stdio-handshake/recording-transport'),
    import('../shared/schemas/config'),
  ]);
  const log = (line: string) => process.stderr.write(line + '\n'); // stdout carries the protocol
  let core: Awaited<ReturnType<typeof openCore>>;
  try {
    core = await openCore({ dataDir, settings: monitorSettingsFrom(config), settingSources, nodesFilePath: config.NODES_FILE_PATH, nodesFileMode: config.NODES_FILE_MODE, log, ssh: sshOptionsFrom(config), failover: failoverOptionsFrom(config), servicePendingAlertAfterMs: config.SERVICE_PENDING_ALERT_AFTER * 1000, version: VERSION });
  } catch (error) {
    // Two sessions started at once (two clients, or two windows of one): the other took the data
    // directory between the look above and the lock. Its socket serves this session too.
    const socket = error instanceof OrchestratorError && error.code === 'conflict' ? await ownerSocketWithin(dataDir, OWNER_SOCKET_WAIT_MS) : undefined;
    if (!socket) throw error;
    return bridge(socket);
  }
  core.guardProcess();
  const mcpOptions = { version: VERSION, policy: config.MCP_COMMAND_POLICY, readOnly: config.MCP_READ_ONLY, askTimeoutMs: config.MCP_ASK_TIMEOUT * 1000 };
  const socket = await serveOwnerSocket(core, async () => createMcpServerFactory(core, { ...mcpOptions, transport: 'socket' }));
  core.monitor.start();
  const { transport, input } = openStdioTransport(handoff, SERVICE_CONFIG_KEYS, dataDir);
  const handle = serveStdio(createMcpServerFactory(core, { ...mcpOptions, transport: 'stdio' }), { transport });
  let stopping = false;
  const shutdown = async (waitForSocketClients: boolean) => {
    if (!waitForSocketClients) await socket.close(); // attached clients are cut off, which ends a wait below
    if (stopping) return;
    stopping = true;
    await handle.close();
    // Its own client gone, this process still serves the sessions that reached its core through the
    // socket (started beside it on the same data directory) until they leave too.
    if (waitForSocketClients) await socket.idle();
    await socket.close();
    await core.close();
    process.exit(0);
  };
  input.once('end', () => void shutdown(true));
  process.once('SIGTERM', () => void shutdown(false));
  process.once('SIGINT', () => void shutdown(false));
}

/** The socket of this host's live owner of `dir` once it serves one; undefined if none comes in time. */
async function ownerSocketWithin(dir: string, ms: number): Promise<string | undefined> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) {
    const owner = await readLockOwnerAsync(dir);
    if (owner?.socket) return owner.socket;
    if (!owner || owner.hostname !== os.hostname()) return undefined; // gone, or another machine's: no socket here
  }
  return undefined;
}
