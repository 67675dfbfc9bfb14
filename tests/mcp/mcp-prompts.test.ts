import { afterAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { httpMcpClient, inMemoryMcpClient } from '../helpers/mcp-client';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { nodeInput } from '../helpers/nodes';

// Issue 27: runbook prompts, listed and rendered with their arguments from the core's live state.
// Nodes on 127.83.0.x; one is probed (a closed port: unhealthy), so its events are real.
let service: Awaited<ReturnType<typeof startTestService>>;
const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
  await service?.close();
});

const textOf = (result: { messages: Array<{ content: { type: string; text?: string } }> }) => result.messages.map((m) => m.content.text ?? '').join('\n');

describe('MCP prompts', () => {
  it('lists the runbooks with their arguments, and renders them from the live state', async () => {
    service = await startTestService({ HOST: '127.83.0.1', FAILURE_THRESHOLD: 1 });
    service.core.registry.create(nodeInput('db-1', { role: 'storage', tailscale_ip: '127.83.0.2', probes: [{ type: 'tcp', port: 9 }] }));
    service.core.registry.create(nodeInput('web-1', { role: 'worker', tailscale_ip: '127.83.0.3', probes: [{ type: 'tcp', port: 9 }] }));
    await service.core.monitor.sweep();
    const client = await inMemoryMcpClient(service.core);
    clients.push(client);

    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => [p.name, (p.arguments ?? []).map((a) => `${a.name}${a.required ? '' : '?'}`)])).toEqual([
      ['diagnose_node', ['node_id']],
      ['fleet_report', ['role?']],
      ['prepare_maintenance', ['node_id', 'hours?']],
    ]);

    const diagnose = textOf(await client.getPrompt({ name: 'diagnose_node', arguments: { node_id: 'db-1' } }));
    expect(diagnose).toContain('Diagnose node db-1');
    expect(diagnose).toMatch(/"status": "unhealthy"/);
    expect(diagnose).toMatch(/Latency, last hour: 1 checks, all failed/);
    expect(diagnose).toContain('"to": "unhealthy"'); // its transition, from the event log
    expect(diagnose).toContain('get_metrics {"id": "db-1"}');

    const report = textOf(await client.getPrompt({ name: 'fleet_report', arguments: { role: 'worker' } }));
    expect(report).toContain('for the worker nodes');
    expect(report).toContain('| web-1 | worker | unhealthy |');
    expect(report).not.toContain('| db-1 |');

    const maintenance = textOf(await client.getPrompt({ name: 'prepare_maintenance', arguments: { node_id: 'web-1', hours: '8' } }));
    expect(maintenance).toMatch(/1\. drain_node \{"id": "web-1"\}[\s\S]*2\. mute_node \{"id": "web-1", "hours": 8\}[\s\S]*3\. set_maintenance/);

    await expect(client.getPrompt({ name: 'diagnose_node', arguments: { node_id: 'nope' } })).rejects.toThrow(/nope/);
    await expect(client.getPrompt({ name: 'prepare_maintenance', arguments: { node_id: 'web-1', hours: '3' } })).rejects.toThrow(/hours/);
  });

  it('are served over HTTP to a viewer token too', async () => {
    const viewer = (await service.call('POST', '/cluster/tokens', { body: { name: 'wall', scope: 'viewer' } })).body.token as string;
    for (const token of [TEST_TOKEN, viewer]) {
      const client = await httpMcpClient(service.url, token);
      clients.push(client);
      expect((await client.listPrompts()).prompts).toHaveLength(3);
      expect(textOf(await client.getPrompt({ name: 'fleet_report', arguments: {} }))).toContain('| db-1 | storage | unhealthy |');
    }
  });
});
