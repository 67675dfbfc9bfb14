import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { request } from 'undici';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { call, httpMcpClient, text } from '../helpers/mcp-client';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../helpers/sshd';
import { sampleTailnet } from '../helpers/tailscale-status';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';

const SIM = '127.42.0.1';
const SSH_IPS = ['127.42.1.1', '127.42.1.2'];
const ALL_TOOLS = ['activate_node', 'add_node', 'check_health', 'cluster_status', 'container_logs', 'deploy_service', 'drain_node', 'get_metrics', 'get_node', 'import_tailscale', 'job_status', 'list_alert_channels', 'list_containers', 'list_events', 'list_nodes', 'list_services', 'mute_node', 'node_silences', 'plan_service', 'remove_node', 'remove_service', 'restart_container', 'rollback_service', 'run_command', 'run_job', 'scale_service', 'service_logs', 'set_maintenance', 'suggest_node', 'update_node', 'update_service'];
const READ_ONLY_TOOLS = ['check_health', 'cluster_status', 'container_logs', 'get_metrics', 'get_node', 'job_status', 'list_alert_channels', 'list_containers', 'list_events', 'list_nodes', 'list_services', 'node_silences', 'plan_service', 'service_logs', 'suggest_node'];

let fleet: SshdFleet;
const sim = new FleetSimulator([{ ip: SIM, http_port: 8080, behaviour: 'healthy' }]);
let service: Awaited<ReturnType<typeof startTestService>>;
let client: Client;

const node = (id: string, ip: string, extra: object = {}) => ({ id, hostname: id, tailscale_ip: ip, role: 'worker', cpu_cores: 2, memory_gb: 4, ...extra });

describe.skipIf(sshdMissing)('MCP over streamable HTTP', () => {
  beforeAll(async () => {
    fleet = await startSshdFleet(SSH_IPS);
    await sim.start();
    service = await startTestService({ SSH_KEY_PATH: fleet.clientKey, MCP_COMMAND_POLICY: 'deny' });
    service.core.registry.create(node('web-1', SIM, { probes: [{ type: 'http', port: 8080 }], tags: ['web'] }));
    SSH_IPS.forEach((ip, i) => service.core.registry.create(node(`ssh-${i + 1}`, ip, { ssh: { user: fleet.user, port: fleet.port }, probes: [{ type: 'tcp', port: fleet.port }], tags: ['ssh'] })));
    client = await httpMcpClient(service.url, TEST_TOKEN);
  });
  afterAll(async () => {
    await client?.close();
    await service?.close();
    await sim.stop();
    await fleet?.stop();
  });

  it('lists every tool with schemas derived from the shared ones and explicit annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS);
    for (const tool of tools) {
      expect(Object.keys(tool.annotations ?? {}).sort()).toEqual(['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint']);
      expect(tool.outputSchema).toBeDefined();
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    const addProps = byName.add_node.inputSchema.properties as Record<string, { enum?: string[]; maxLength?: number }>;
    expect(Object.keys(addProps)).toEqual(expect.arrayContaining(['id', 'hostname', 'tailscale_ip', 'role', 'cpu_cores', 'memory_gb', 'tags']));
    expect(addProps.role.enum).toEqual(['master', 'worker', 'storage']);
    expect(addProps.id.maxLength).toBe(63);
    expect(Object.keys(byName.run_command.inputSchema.properties as object)).toEqual(expect.arrayContaining(['node_ids', 'role', 'tag', 'command', 'timeout']));
    expect(byName.run_command.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(byName.remove_node.annotations?.destructiveHint).toBe(true);
    expect(byName.cluster_status.annotations?.readOnlyHint).toBe(true);
  });

  it('advertises no list changes over stateless HTTP, where none could be delivered (issue 32, finding 21)', () => {
    const capabilities = client.getServerCapabilities();
    expect(capabilities?.tools).toBeDefined();
    expect(capabilities?.resources).toBeDefined();
    expect(capabilities?.tools?.listChanged).not.toBe(true);
    expect(capabilities?.resources?.listChanged).not.toBe(true);
  });

  it('answers the read tools with REST shapes', async () => {
    const sweep = await call(client, 'check_health', {});
    expect(sweep.structuredContent).toMatchObject({ total_nodes: 3 });
    const status = await call(client, 'cluster_status');
    const rest = await service.call('GET', '/cluster/status');
    expect(status.structuredContent).toEqual(rest.body);
    const list = await call(client, 'list_nodes', { tag: 'ssh' });
    expect(list.structuredContent).toMatchObject({ count: 2 });
    expect((list.structuredContent!.nodes as Array<{ id: string }>).map((n) => n.id)).toEqual(['ssh-1', 'ssh-2']);
    expect((await call(client, 'get_node', { id: 'web-1' })).structuredContent).toMatchObject({ id: 'web-1', health: { status: 'healthy' } });
    expect((await call(client, 'check_health', { id: 'web-1' })).structuredContent).toMatchObject({ node_id: 'web-1', status: 'healthy' });
    const metrics = await call(client, 'get_metrics', { id: 'ssh-1' });
    expect(metrics.structuredContent?.cpu_count).toBeGreaterThan(0);
    expect((await call(client, 'suggest_node', { cpu_cores: 0.001, memory_gb: 0.001, tags: ['ssh'] })).structuredContent).toHaveProperty('candidates');
    expect(((await call(client, 'list_events', {})).structuredContent!.events as unknown[]).length).toBeGreaterThan(0);
    service.core.alerts.update({ channels: [{ id: 'team', type: 'slack', url: 'http://127.42.9.9:1/services/T1/B2/mcpsecret' }] });
    const alertChannels = (await call(client, 'list_alert_channels', {})).structuredContent;
    expect(alertChannels).toEqual((await service.call('GET', '/cluster/alerts')).body);
    expect(alertChannels).toMatchObject({ channels: [{ channel: { id: 'team', url: 'http://127.42.9.9:1/services/***/***/***' }, source: 'data_dir', delivery: { status: 'idle' } }] });
    service.core.alerts.update({ channels: [] });
    // Without an Alertmanager channel nothing is asked: the same empty answer as REST.
    expect((await call(client, 'node_silences', { id: 'web-1' })).structuredContent).toEqual((await service.call('GET', '/cluster/nodes/web-1/silences')).body);
    const resource = await client.readResource({ uri: 'cluster://status' });
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toMatchObject({ total_nodes: 3 });
    const nodeResource = await client.readResource({ uri: 'node://web-1' });
    expect(JSON.parse((nodeResource.contents[0] as { text: string }).text)).toMatchObject({ id: 'web-1' });
  });

  it('adds, updates and imports; errors name the field or the unknown id', async () => {
    const added = await call(client, 'add_node', node('mcp-1', '127.42.0.9'));
    expect(added.isError).toBeFalsy();
    expect(service.core.registry.get('mcp-1')).toBeDefined();
    expect((await call(client, 'update_node', { id: 'mcp-1', description: 'via mcp' })).structuredContent).toMatchObject({ description: 'via mcp', hostname: 'mcp-1' });
    const bad = await call(client, 'add_node', { ...node('mcp-2', '999.0.0.1'), cpu_cores: 0 });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain('tailscale_ip: must be an IPv4 or IPv6 address');
    expect(text(bad)).toContain('cpu_cores');
    expect(service.core.registry.get('mcp-2')).toBeUndefined();
    const unknown = await call(client, 'get_node', { id: 'ghost' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('not_found');
    expect(text(unknown)).toContain('ghost');
    expect(text(await call(client, 'update_node', { id: 'ghost', description: 'x' }))).toContain('not_found');
    expect(text(await call(client, 'run_command', { command: 'true' }))).toContain('node_ids: give exactly one of node_ids, role or tag');
    const dry = await call(client, 'import_tailscale', { document: sampleTailnet(), dry_run: true });
    expect(dry.structuredContent).toMatchObject({ applied: false });
    expect((dry.structuredContent!.added as unknown[]).length).toBe(7);
  });

  it('refuses destructive tools under the deny policy, and audits every call', async () => {
    const refused = await call(client, 'run_command', { node_ids: ['ssh-1'], command: 'touch /tmp/should-not-exist' });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('forbidden');
    expect(text(refused)).toContain('policy (deny)');
    expect(text(await call(client, 'remove_node', { id: 'mcp-1' }))).toContain('policy (deny)');
    expect(service.core.registry.get('mcp-1')).toBeDefined();
    const audit = service.core.ssh.audit.list(500).filter((e) => e.actor === 'mcp:http:admin token');
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['cluster_status', 'add_node', 'run_command', 'remove_node']));
    expect(audit.filter((e) => e.action === 'run_command').at(-1)?.outcome).toMatch(/^forbidden/);
  });

  it('answers 401 on /mcp without the token and 403 for a foreign Origin', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const anonymous = await request(`${service.url}/mcp`, { method: 'POST', headers, body });
    expect(anonymous.statusCode).toBe(401);
    await anonymous.body.text();
    const foreign = await request(`${service.url}/mcp`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${TEST_TOKEN}`, origin: 'http://evil.example' }, body });
    expect(foreign.statusCode).toBe(403);
    await foreign.body.text();
  });

  it('hides every non-read-only tool in read-only mode, and runs commands under allow', async () => {
    const readOnly = await startTestService({ MCP_READ_ONLY: true });
    const allow = await startTestService({ MCP_COMMAND_POLICY: 'allow', SSH_KEY_PATH: fleet.clientKey });
    try {
      const roClient = await httpMcpClient(readOnly.url, TEST_TOKEN);
      expect((await roClient.listTools()).tools.map((t) => t.name).sort()).toEqual(READ_ONLY_TOOLS);
      await roClient.close();
      allow.core.registry.create(node('ssh-a', SSH_IPS[0], { ssh: { user: fleet.user, port: fleet.port } }));
      const allowClient = await httpMcpClient(allow.url, TEST_TOKEN);
      const ran = await call(allowClient, 'run_command', { node_ids: ['ssh-a'], command: 'echo allowed; exit 4', timeout: 10 });
      expect(ran.isError).toBeFalsy();
      expect(ran.structuredContent).toMatchObject({ results: [{ node_id: 'ssh-a', exit_code: 4, stdout: 'allowed\n' }] });
      expect((await call(allowClient, 'remove_node', { id: 'ssh-a' })).structuredContent).toEqual({ removed: 'ssh-a' });
      await allowClient.close();
    } finally {
      await readOnly.close();
      await allow.close();
    }
  });
});
