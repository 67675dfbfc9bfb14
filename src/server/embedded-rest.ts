import type { Core } from '../core/app-core';
import { loadOrCreateApiToken } from '../core/auth/api-token';
import { createMcpServerFactory } from '../core/mcp/mcp-tools';
import { buildApp } from './http/build-app';
import { VERSION, WEB_ROOT } from './serve';

/** The desktop app's optional REST API: the headless routes and guards over the app's own core. */
export async function startRestForCore(core: Core, port: number, host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const { token } = loadOrCreateApiToken(core.dataDir, process.env.API_TOKEN);
  const app = await buildApp({
    core, token, host, port, version: VERSION, webRoot: WEB_ROOT,
    mcpFactory: createMcpServerFactory(core, { version: VERSION, policy: 'deny', readOnly: false, transport: 'http' }),
  });
  await app.listen({ host, port });
  const address = app.server.address();
  return { url: `http://${host}:${address && typeof address === 'object' ? address.port : port}`, close: () => app.close() };
}
