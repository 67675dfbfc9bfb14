import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ServiceConfig } from '../shared/schemas/config';
import { openCore, type Core } from '../core/app-core';
import type { PinnedSources } from '../core/monitor/settings-store';
import { loadOrCreateApiToken } from '../core/auth/api-token';
import { alertOptionsFrom, failoverOptionsFrom, monitorSettingsFrom, sshOptionsFrom } from '../core/config/load-config';
import { defaultDataDir } from '../core/registry/data-dir';
import { buildApp } from './http/build-app';
import { serveOwnerSocket } from '../core/mcp/mcp-socket';
import { PACKAGE_ROOT, REDOC_SCRIPT, SWAGGER_UI_DIR, VERSION, WEB_ROOT } from './package-info';


export interface RunningService {
  url: string;
  /** The web UI with the token in its fragment (never sent to a server, so in no request log). */
  loginUrl: string;
  token: string;
  /** Where the token came from: API_TOKEN is the operator's own, and is never printed. */
  tokenSource: 'env' | 'file' | 'generated';
  core: Core;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the core headless and serves REST, the web UI and MCP on HOST:PORT. */
export async function startService(config: ServiceConfig, log: (line: string) => void = console.log, settingSources: PinnedSources = {}): Promise<RunningService> {
  const dataDir = config.DATA_DIR ?? defaultDataDir();
  let listening: string | undefined; // the address, once bound (port 0 picks one)
  const core = await openCore({
    dataDir,
    settings: monitorSettingsFrom(config),
    settingSources,
    nodesFilePath: config.NODES_FILE_PATH,
    nodesFileMode: config.NODES_FILE_MODE,
    log,
    demoNodesFile: path.join(PACKAGE_ROOT, 'data/nodes.json'),
    ssh: sshOptionsFrom(config),
    alerts: { ...alertOptionsFrom(config), webUrl: () => config.PUBLIC_URL ?? listening },
    failover: failoverOptionsFrom(config),
    servicePendingAlertAfterMs: config.SERVICE_PENDING_ALERT_AFTER * 1000,
    monitorPeers: config.MONITOR_PEERS,
    // Set in config: from the environment unless the CLI said a flag or .env set it.
    monitorPeersSource: config.MONITOR_PEERS ? (settingSources.monitor_peers === 'demo' ? undefined : settingSources.monitor_peers) ?? 'environment' : undefined,
    quorum: config.QUORUM,
    version: VERSION,
  });
  try {
    const { token, source: tokenSource } = loadOrCreateApiToken(core.dataDir, config.API_TOKEN);
    const mcpOptions = { version: VERSION, policy: config.MCP_COMMAND_POLICY, readOnly: config.MCP_READ_ONLY, askTimeoutMs: config.MCP_ASK_TIMEOUT * 1000 };
    // The MCP tools and SDK are not needed to answer REST: /mcp and the socket load them for their first client.
    const loadMcpFactory = (transport: 'http' | 'socket') => async () => (await import('../core/mcp/mcp-tools')).createMcpServerFactory(core, { ...mcpOptions, transport });
    const app = await buildApp({
      core, token, host: config.HOST, port: config.PORT, version: VERSION, debug: config.DEBUG, webRoot: WEB_ROOT, redocScript: REDOC_SCRIPT, swaggerUiDir: SWAGGER_UI_DIR, authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
      loadMcpFactory: loadMcpFactory('http'),
    });
    await app.listen({ host: config.HOST, port: config.PORT });
    // Local MCP clients (`mcp-orchestrator mcp`) reach this process through its socket.
    const mcpSocket = await serveOwnerSocket(core, loadMcpFactory('socket'));
    const address = app.server.address();
    const port = address && typeof address === 'object' ? address.port : config.PORT;
    const hostForUrl = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    const url = `http://${hostForUrl}:${port}`;
    listening = url;
    core.monitor.start();
    if (config.TAILSCALE_SYNC_INTERVAL > 0) core.tailscale.startSync(config.TAILSCALE_SYNC_INTERVAL * 1000);
    let closed = false;
    return {
      url,
      loginUrl: `${url}/#token=${encodeURIComponent(token)}`,
      token,
      tokenSource,
      core,
      app,
      async close() {
        if (closed) return;
        closed = true;
        core.monitor.stop();
        await mcpSocket.close();
        await app.close();
        await core.close();
      },
    };
  } catch (error) {
    await core.close();
    throw error;
  }
}

/** A duration as the operator would say it: 15s, 2m, 1h, 1h 30m. */
export function formatSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].filter(Boolean);
  return parts.join(' ');
}

/** The start banner: the settings in force (saved ones included), each with its source when not the default. */
export function banner(service: RunningService): string {
  const line = '='.repeat(64);
  const { interval_s, timeout_s } = service.core.monitor.settings;
  const sources = service.core.settings.sources;
  const from = (key: 'interval_s' | 'timeout_s') => (sources[key] === 'default' ? '' : ` (${sources[key]})`);
  return [
    line,
    `MCP Cloud Orchestrator v${VERSION}`,
    `Address:   ${service.url}`,
    `API docs:  ${service.url}/docs   (ReDoc: ${service.url}/redoc)`,
    `Web UI:    ${service.tokenSource === 'env' ? `${service.url}/   (sign in with API_TOKEN)` : service.loginUrl}`,
    `MCP:       ${service.url}/mcp   (Authorization: Bearer <token>)`,
    `Data dir:  ${service.core.dataDir}`,
    `Nodes:     ${service.core.registry.size}, checked every ${formatSeconds(interval_s)}${from('interval_s')}, timeout ${formatSeconds(timeout_s)}${from('timeout_s')}`,
    line,
  ].join('\n');
}
