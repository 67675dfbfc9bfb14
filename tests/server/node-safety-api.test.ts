import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import dns from 'node:dns/promises';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { call as mcpCall, httpMcpClient, text } from '../helpers/mcp-client';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../helpers/sshd';
import { createCore } from '../../src/core/app-core';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { tempDir } from '../helpers/temp-dir';

// Issue 17, items 10, 11 and 16 against the real service: one address per node (REST, MCP and
// imports refuse a second, naming the node that has it), demo nodes tagged and removed in one
// action, MagicDNS-style names resolved when probed, HTTP(S) scheme and expected status honoured,
// and a node without CPU cores or memory getting them from SSH metrics.

let service: Awaited<ReturnType<typeof startTestService>>;
let mcp: Client;
const servers: Array<http.Server | https.Server> = [];

/** A loopback HTTP(S) server answering `status` at /status; resolves with its port. */
async function statusServer(host: string, status: number, tls?: { key: string; cert: string }): Promise<number> {
  const handler: http.RequestListener = (req, res) => res.writeHead(req.url === '/status' ? status : 404).end();
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as net.AddressInfo).port;
}

const node = (id: string, address: string, extra: object = {}) => ({ id, hostname: id, tailscale_ip: address, role: 'worker', ...extra });

beforeAll(async () => {
  service = await startTestService({ HOST: '127.61.0.1', HEALTH_CHECK_TIMEOUT: 5 }); // loopback answers, but this machine may be busy
  service.core.monitor.stop(); // checks below are asked for, not swept
  mcp = await httpMcpClient(service.url, TEST_TOKEN);
});
afterAll(async () => {
  await mcp?.close();
  await service?.close();
  for (const server of servers) server.close();
});

describe('one node per address (item 11)', () => {
  it('refuses a second node at an address over REST, naming the node that has it', async () => {
    expect((await service.call('POST', '/cluster/nodes', { body: node('first', '127.61.3.1') })).status).toBe(201);
    const dup = await service.call('POST', '/cluster/nodes', { body: node('second', '127.61.3.1') });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: 'conflict', details: [{ field: 'tailscale_ip', message: 'is already used by node "first"' }] });
    expect(dup.body.message).toContain('"first"');
    expect((await service.call('GET', '/cluster/nodes/second')).status).toBe(404);
  });

  it('refuses an update that moves a node onto another node\'s address, and names compare without case', async () => {
    expect((await service.call('POST', '/cluster/nodes', { body: node('named', 'Box.Tail1.ts.net') })).status).toBe(201);
    const sameName = await service.call('POST', '/cluster/nodes', { body: node('named-2', 'box.tail1.ts.net.') });
    expect(sameName).toMatchObject({ status: 409, body: { details: [{ field: 'tailscale_ip', message: 'is already used by node "named"' }] } });
    expect((await service.call('POST', '/cluster/nodes', { body: node('mover', '127.61.3.2') })).status).toBe(201);
    const moved = await service.call('PUT', '/cluster/nodes/mover', { body: { tailscale_ip: '127.61.3.1' } });
    expect(moved).toMatchObject({ status: 409, body: { details: [{ field: 'tailscale_ip', message: 'is already used by node "first"' }] } });
    expect((await service.call('GET', '/cluster/nodes/mover')).body.tailscale_ip).toBe('127.61.3.2');
  });

  it('refuses it over MCP with the same words', async () => {
    const answer = await mcpCall(mcp, 'add_node', node('by-mcp', '127.61.3.1'));
    expect(answer.isError).toBe(true);
    expect(text(answer)).toContain('already used by node "first"');
  });

  it('reports it per node in a nodes.json import, applying nothing', async () => {
    const report = await service.call('POST', '/cluster/import', { body: { nodes: { 'imp-1': node('imp-1', '127.61.3.9'), 'imp-2': node('imp-2', '127.61.3.9'), 'imp-3': node('imp-3', '127.61.3.2') } } });
    expect(report.status).toBe(200);
    expect(report.body.applied).toBe(false);
    expect(report.body.invalid).toEqual([
      { id: 'imp-2', field: 'tailscale_ip', reason: 'is already used by node "imp-1"' },
      { id: 'imp-3', field: 'tailscale_ip', reason: 'is already used by node "mover"' },
    ]);
  });
});

describe('demo nodes (item 10)', () => {
  it('tags what "Start the demo fleet" imports with `demo`, and removes exactly those in one action', async () => {
    const dataDir = tempDir();
    const demoFile = path.join(dataDir, 'demo-nodes.json');
    const demoNode = (i: number) => ({ hostname: `d-${i}`, tailscale_ip: `127.61.2.${i}`, role: 'worker', cpu_cores: 1, memory_gb: 1, tags: i === 1 ? ['web'] : [], probes: [{ type: 'tcp', port: 18022 }] });
    fs.writeFileSync(demoFile, JSON.stringify({ nodes: { 'node-01': demoNode(1), 'node-02': demoNode(2) } }));
    const core = createCore({ dataDir: path.join(dataDir, 'data'), settings: MonitorSettingsSchema.parse({}), demoNodesFile: demoFile, ssh: { metricsIntervalMs: 0 } });
    try {
      core.registry.create(node('mine', '127.61.2.50'));
      const report = await core.startDemo();
      expect(report.added).toEqual(['node-01', 'node-02']);
      expect(core.registry.get('node-01')?.tags).toEqual(['web', 'demo']);
      expect(core.registry.get('node-02')?.tags).toEqual(['demo']);
      // The simulated node answers while the demo runs…
      await expect(tcpOpen('127.61.2.1', 18022)).resolves.toBe(true);
      expect(await core.removeDemo()).toEqual({ removed: ['node-01', 'node-02'] });
      expect(core.registry.all().map((n) => n.id)).toEqual(['mine']);
      // …and is gone with it.
      await expect(tcpOpen('127.61.2.1', 18022)).resolves.toBe(false);
    } finally {
      await core.close();
    }
  });

  it('DELETE /cluster/demo removes every node tagged demo and nothing else', async () => {
    await service.call('POST', '/cluster/nodes', { body: node('demo-a', '127.61.3.20', { tags: ['demo'] }) });
    await service.call('POST', '/cluster/nodes', { body: node('demo-b', '127.61.3.21', { tags: ['demo', 'gpu'] }) });
    const before = (await service.call('GET', '/cluster/nodes')).body.count;
    const removed = await service.call('DELETE', '/cluster/demo');
    expect(removed).toMatchObject({ status: 200, body: { removed: ['demo-a', 'demo-b'] } });
    expect((await service.call('GET', '/cluster/nodes')).body.count).toBe(before - 2);
    expect((await service.call('DELETE', '/cluster/demo')).body).toEqual({ removed: [] });
  });
});

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('the add form\'s address and HTTP probe (item 16)', () => {
  it('accepts a DNS name as the address and resolves it when probing', async () => {
    const { address } = await dns.lookup('localhost'); // where "localhost" points here
    const port = await statusServer(address, 200);
    const created = await service.call('POST', '/cluster/nodes', { body: node('by-name', 'localhost', { probes: [{ type: 'http', port, path: '/status' }] }) });
    expect(created.status).toBe(201);
    const check = await service.call('GET', '/cluster/nodes/by-name/health');
    expect(check.body).toMatchObject({ status: 'healthy', probes: [{ ok: true, target: `http://localhost:${port}/status`, status_code: 200 }] });
  });

  it('honours the expected status and the scheme', async () => {
    const { address } = await dns.lookup('localhost');
    const teapot = await statusServer(address, 418);
    const dir = tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], { stdio: 'ignore' });
    const secure = await statusServer(address, 204, { key: fs.readFileSync(`${dir}/key.pem`, 'utf8'), cert: fs.readFileSync(`${dir}/cert.pem`, 'utf8') });
    const cases = [
      { id: 'teapot-default', probe: { type: 'http', port: teapot, path: '/status' }, ok: false, reason: 'http_status' },
      { id: 'teapot-expected', probe: { type: 'http', port: teapot, path: '/status', expect_status: 418 }, ok: true },
      { id: 'teapot-range', probe: { type: 'http', port: teapot, path: '/status', expect_status: [400, 499] }, ok: true },
      { id: 'tls-https', probe: { type: 'http', scheme: 'https', port: secure, path: '/status', expect_status: 204 }, ok: true },
      { id: 'tls-plain', probe: { type: 'http', scheme: 'http', port: secure, path: '/status' }, ok: false },
    ];
    for (const c of cases) {
      // One node per address: each case gets the machine's address in turn, then gives it back.
      expect((await service.call('POST', '/cluster/nodes', { body: node(c.id, address, { probes: [c.probe] }) })).status).toBe(201);
      const check = (await service.call('GET', `/cluster/nodes/${c.id}/health`)).body;
      expect(check.probes[0].ok, `${c.id}: ${check.probes[0].error}`).toBe(c.ok);
      if (c.reason) expect(check.probes[0].reason).toBe(c.reason);
      if (c.id === 'tls-https') expect(check.probes[0].target).toMatch(/^https:/);
      expect((await service.call('DELETE', `/cluster/nodes/${c.id}`)).status).toBe(204);
    }
  });
});

describe.skipIf(sshdMissing)('CPU cores and memory from SSH metrics (item 16)', () => {
  let fleet: SshdFleet;
  let sshService: Awaited<ReturnType<typeof startTestService>>;
  beforeAll(async () => {
    fleet = await startSshdFleet(['127.61.1.1']);
    sshService = await startTestService({ HOST: '127.61.0.2', SSH_KEY_PATH: fleet.clientKey });
    sshService.core.monitor.stop();
  });
  afterAll(async () => {
    await sshService?.close();
    await fleet?.stop();
  });

  it('fills in a node\'s missing size from its first metrics, and keeps a size the user gave', async () => {
    const ssh = { user: fleet.user, port: fleet.port };
    expect((await sshService.call('POST', '/cluster/nodes', { body: node('sizeless', '127.61.1.1', { ssh }) })).status).toBe(201);
    expect((await sshService.call('GET', '/cluster/nodes/sizeless')).body.cpu_cores).toBeUndefined();
    const metrics = (await sshService.call('GET', '/cluster/nodes/sizeless/metrics')).body;
    expect(metrics.cpu_count).toBeGreaterThan(0);
    const filled = (await sshService.call('GET', '/cluster/nodes/sizeless')).body;
    expect(filled.cpu_cores).toBe(metrics.cpu_count);
    expect(filled.memory_gb).toBeCloseTo(metrics.mem_total_mb / 1024, 1);
    await sshService.call('PUT', '/cluster/nodes/sizeless', { body: { cpu_cores: 99 } });
    await sshService.call('GET', '/cluster/nodes/sizeless/metrics');
    expect((await sshService.call('GET', '/cluster/nodes/sizeless')).body.cpu_cores).toBe(99);
  });
});
