import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { bridgeRequest } from '../../src/main/bridge-mode';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';

// Issue 39, finding 10: the RunAsNode fuse is off; MCP clients run the app's own executable with
// --mcp-bridge, and a configuration written for the fuse (…/mcp-bridge.mjs <socket>) still works.
// The built main process runs against the stand-in Electron API; a real headless service on
// 127.98.0.1 owns the socket it bridges to.
const REGISTER = path.resolve('tests/fixtures/electron-stub/register.mjs');
const DRIVE = path.resolve('tests/fixtures/electron-stub/drive.mjs');
let service: Awaited<ReturnType<typeof startTestService>> | null = null;
afterAll(async () => service?.close());

describe('the app executable as an MCP stdio bridge', () => {
  it('reads the bridge request from its arguments, defaulting to the app\'s own socket', () => {
    expect(bridgeRequest(['/opt/app/mco', '--mcp-bridge'], '/home/u/.config/app/mcp.sock')).toBe('/home/u/.config/app/mcp.sock');
    expect(bridgeRequest(['/opt/app/mco', '--mcp-bridge', '/tmp/s.sock'], '/own.sock')).toBe('/tmp/s.sock');
    expect(bridgeRequest(['/opt/app/mco', '/opt/app/resources/mcp-bridge.mjs', '/tmp/s.sock'], '/own.sock')).toBe('/tmp/s.sock');
    expect(bridgeRequest(['/opt/app/mco', '--hidden'], '/own.sock')).toBeNull();
  });

  it.each([
    ['--mcp-bridge <socket>', (socket: string) => ['--mcp-bridge', socket]],
    ['a configuration written for ELECTRON_RUN_AS_NODE (…/mcp-bridge.mjs <socket>)', (socket: string) => ['/opt/MCP Cloud Orchestrator/resources/mcp-bridge.mjs', socket]],
  ])('%s: an MCP client lists the running service\'s tools through it, and the app starts no core of its own', async (_form, args) => {
    service ??= await startTestService({ HOST: '127.98.0.1' });
    const socket = path.join(service.config.DATA_DIR!, 'mcp.sock');
    const ownData = tempDir();
    const client = new Client({ name: 'bridge-test', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', REGISTER, DRIVE, path.resolve('out/main/index.js'), 'bridge', ...args(socket)],
      env: { ...(process.env as Record<string, string>), STUB_USER_DATA: tempDir(), DATA_DIR: ownData },
      stderr: 'pipe',
    });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('cluster_status');
    const status = await client.callTool({ name: 'cluster_status', arguments: {} });
    expect(status.isError).toBeFalsy();
    await client.close();
    expect(fs.readdirSync(ownData)).toEqual([]); // no registry, no lock: only the pipe ran
  }, 30_000);
});
