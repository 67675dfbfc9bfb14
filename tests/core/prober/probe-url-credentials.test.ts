import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { createMcpServerFactory } from '../../../src/core/mcp/mcp-tools';
import { startTestService } from '../../helpers/service';
import { call } from '../../helpers/mcp-client';
import { nodeInput } from '../../helpers/nodes';

// A probe URL may carry user:password. Results, errors, events and MCP answers must not show it.
const SECRET = 'pr0be-pa55word';
let server: http.Server;
let service: Awaited<ReturnType<typeof startTestService>>;
let url: string;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(503).end('down'));
  await new Promise<void>((resolve) => server.listen(0, '127.54.3.1', resolve));
  url = `http://monitor:${SECRET}@127.54.3.1:${(server.address() as AddressInfo).port}/health`;
  service = await startTestService({ HOST: '127.54.0.6', FAILURE_THRESHOLD: 1 });
  service.core.monitor.stop();
  service.core.registry.create(nodeInput('cred-1', { tailscale_ip: '127.54.3.1', probes: [{ type: 'http', url }] }));
});
afterAll(async () => {
  await service.close();
  server.close();
});

describe('passwords in probe URLs', () => {
  it('are redacted in live checks, sweeps, events and MCP output', async () => {
    const live = await service.call('GET', '/cluster/nodes/cred-1/health');
    expect(live.body.probes[0]).toMatchObject({ ok: false, reason: 'http_status', target: expect.stringContaining('http://***@127.54.3.1') });
    expect(live.body.error).toContain('***@127.54.3.1');
    const sweep = await service.call('POST', '/cluster/health-check');
    const events = await service.call('GET', '/cluster/events');
    expect(events.body.events.length).toBeGreaterThan(0);

    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await createMcpServerFactory(service.core, { version: 'test', policy: 'deny', readOnly: false, transport: 'memory' })().connect(serverTransport);
    const client = new Client({ name: 'cred', version: '1' });
    await client.connect(clientTransport);
    const answers = [await call(client, 'check_health', { id: 'cred-1' }), await call(client, 'get_node', { id: 'cred-1' }), await call(client, 'list_events', {}), await call(client, 'list_nodes', {})];
    await client.close();

    // A sweep answers each node's configuration too (the UI edits it, so it keeps the URL); its health must not show it.
    const sweepHealth = sweep.body.nodes.map((n: { health: unknown }) => n.health);
    for (const [where, shown] of Object.entries({ live, sweepHealth, events, answers })) expect(JSON.stringify(shown), where).not.toContain(SECRET);
    expect(JSON.stringify(answers[1])).toContain('http://***@127.54.3.1');
    // The operator's own configuration keeps the URL as entered (export must round-trip).
    expect((await service.call('GET', '/cluster/export')).body.nodes['cred-1'].probes[0].url).toBe(url);
  });
});
