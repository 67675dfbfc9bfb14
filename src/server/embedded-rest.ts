import type { Core } from '../core/app-core';
import { loadOrCreateApiToken } from '../core/auth/api-token';
import { createMcpServerFactory } from '../core/mcp/mcp-tools';
import { buildApp } from './http/build-app';

export interface EmbeddedRestOptions {
  port: number;
  host?: string;
  /** The app's version (Electron: app.getVersion()). */
  version: string;
  /** The built web UI, or null for the API alone. */
  webRoot: string | null;
  redocScript?: string | null;
  swaggerUiDir?: string | null;
}

/**
 * The desktop app's optional REST API: the headless routes and guards over the app's own core.
 * The shell passes version and paths in; this module computes none of them from its own URL.
 */
export async function startRestForCore(core: Core, options: EmbeddedRestOptions): Promise<{ url: string; close(): Promise<void> }> {
  const { port, version, host = '127.0.0.1' } = options;
  const { token } = loadOrCreateApiToken(core.dataDir, process.env.API_TOKEN);
  const app = await buildApp({
    core, token, host, port, version, webRoot: options.webRoot, redocScript: options.redocScript, swaggerUiDir: options.swaggerUiDir,
    loadMcpFactory: async () => createMcpServerFactory(core, { version, policy: 'deny', readOnly: false, transport: 'http' }),
  });
  await app.listen({ host, port });
  const address = app.server.address();
  return { url: `http://${host}:${address && typeof address === 'object' ? address.port : port}`, close: () => app.close() };
}
