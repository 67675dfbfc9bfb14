import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
const env = { ...(process.env as Record<string, string>), DATA_DIR: '/tmp/prof/sdk-data', MCO_CODE_CACHE_DIR: '/tmp/prof/sdk-cache', HEALTH_CHECK_INTERVAL: '3600' };
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const client = new Client({ name: 'sdk-check', version: '1.0.0' });
  const transport = new StdioClientTransport({ command: process.execPath, args: ['bin/mcp-orchestrator.mjs', 'mcp'], env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (c) => (stderr += c));
  await client.connect(transport);
  const tools = await client.listTools();
  const t1 = performance.now() - started;
  const prompts = await client.listPrompts();
  const res = await client.listResources();
  const call = await client.callTool({ name: 'cluster_status', arguments: {} });
  console.log(i, 'tools', tools.tools.length, t1.toFixed(0), 'ms; prompts', prompts.prompts.length, 'resources', res.resources.length, 'call', JSON.stringify(call.structuredContent).slice(0, 40), 'stderr:', stderr.trim().slice(0, 200));
  await client.close();
}
import fs from 'node:fs';
const f = fs.readdirSync('/tmp/prof/sdk-cache').find((n) => n.endsWith('.handshake.json'));
const recs = JSON.parse(fs.readFileSync('/tmp/prof/sdk-cache/' + f, 'utf8'));
console.log('records', recs.length, recs.map((r: { exchange: Array<{ in: string }> }) => r.exchange.map((e) => e.in.slice(0, 150))));
