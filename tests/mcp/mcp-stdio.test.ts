import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { createMcpServerFactory } from '../../src/core/mcp/mcp-tools';
import type { Core } from '../../src/core/app-core';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { call, text } from '../helpers/mcp-client';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';
import { demoNodesFileOn } from '../helpers/demo-nodes';
import { mcpSocketPath } from '../../src/core/mcp/mcp-socket';

const BIN = path.resolve('bin/mcp-orchestrator.mjs');
const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
});

async function stdioClient(env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'mco-stdio-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env: { ...(process.env as Record<string, string>), ...env }, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

describe('MCP over stdio (node bin/mcp-orchestrator.mjs mcp)', () => {
  it('runs the core itself, honouring DATA_DIR, NODES_FILE_PATH and the health-check settings', async () => {
    // The demo fleet on a block of its own: nothing serves it here, even beside a running `npm run demo`.
    const client = await stdioClient({ DATA_DIR: tempDir(), NODES_FILE_PATH: demoNodesFileOn(64), HEALTH_CHECK_INTERVAL: '3600', TEST_TIMING: '1', HEALTH_CHECK_TIMEOUT: '0.3' });
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(31);
    // The built CLI advertises JSON Schemas converted at build time: the same as converting now, from source.
    const live = new Client({ name: 'live', version: '1' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createMcpServerFactory({} as Core, { version: 'x', policy: 'deny', readOnly: false, transport: 'test' })().connect(serverSide);
    await live.connect(clientSide);
    const schemas = (list: typeof tools) => Object.fromEntries(list.map((t) => [t.name, [t.inputSchema, t.outputSchema]]));
    expect(schemas(tools)).toEqual(schemas((await live.listTools()).tools));
    await live.close();
    expect((await call(client, 'list_nodes', { role: 'storage' })).structuredContent).toMatchObject({ count: 3 });
    const check = await call(client, 'check_health', { id: 'node-01' });
    expect(check.structuredContent).toMatchObject({ node_id: 'node-01', status: 'unhealthy' });
    expect((check.structuredContent!.probes as Array<{ error: string }>)[0].error).toContain('127.64.0.1');
    const denied = await call(client, 'run_command', { role: 'master', command: 'id' });
    expect(text(denied)).toContain('policy (deny)');
  }, 60_000);

  it('talks to the process that owns DATA_DIR over its local socket', async () => {
    const service = await startTestService();
    try {
      const client = await stdioClient({ DATA_DIR: service.core.dataDir });
      const added = await call(client, 'add_node', { id: 'via-socket', hostname: 'via-socket', tailscale_ip: '127.43.0.1', role: 'worker', cpu_cores: 1, memory_gb: 1 });
      expect(added.isError).toBeFalsy();
      expect(service.core.registry.get('via-socket')).toBeDefined(); // the running service changed, not a second copy
      expect(service.core.ssh.audit.list().at(-1)).toMatchObject({ actor: 'mcp:socket', action: 'add_node' });
    } finally {
      await service.close();
    }
  }, 60_000);

  it('the built bridge (bin/mcp-bridge.mjs, as desktop MCP clients launch it) reaches the owner over its socket', async () => {
    const service = await startTestService();
    try {
      const client = new Client({ name: 'mco-bridge-test', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [path.resolve('bin/mcp-bridge.mjs'), mcpSocketPath(service.core.dataDir)], stderr: 'pipe' }));
      clients.push(client);
      expect((await client.listTools()).tools).toHaveLength(31);
      expect((await call(client, 'add_node', { id: 'via-bridge', hostname: 'via-bridge', tailscale_ip: '127.43.0.2', role: 'worker', cpu_cores: 1, memory_gb: 1 })).isError).toBeFalsy();
      expect(service.core.registry.get('via-bridge')).toBeDefined();
    } finally {
      await service.close();
    }
  }, 60_000);

  it('the built bridge says which socket it cannot reach, and how it is used', () => {
    const missing = path.join(tempDir(), 'mcp.sock');
    const refused = spawnSync(process.execPath, ['bin/mcp-bridge.mjs', missing], { encoding: 'utf8', input: '' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`mcp-bridge: cannot reach ${missing}`);
    const usage = spawnSync(process.execPath, ['bin/mcp-bridge.mjs'], { encoding: 'utf8', env: { ...process.env, MCO_MCP_SOCKET: '' } });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^usage: mcp-bridge <socket path>/);
  });
});
