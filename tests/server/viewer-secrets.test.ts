import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebBridgeApi, type WebSocketConstructor } from '../../src/shared/bridge-client';
import { call, httpMcpClient, text } from '../helpers/mcp-client';
import { nodeInput } from '../helpers/nodes';
import { startTestService } from '../helpers/service';

// Issue 39, finding 5 (and the "done when" of the issue): plant every kind of secret, then read
// everything a viewer can read (every viewer GET route from the OpenAPI document, the web bridge's
// answers and pushes, MCP) and find none of them. The service on 127.97.0.1; nothing listens at the
// channels' and the probe's addresses (127.97.9.9, 127.97.0.11), so every delivery and probe fails
// and says so, URLs and all.
const SECRETS = {
  hookPassword: 'hookpass-s3cr3t',
  hookQuery: 'hook-qs-token',
  ntfyTopic: 'topic-s3cr3t',
  ntfyToken: 'ntfy-s3cr3t-token',
  smtpPassword: 'smtp-pa55-s3cr3t',
  amPassword: 'am-s3cr3t',
  amQuery: 'am-qs-token',
  probePassword: 'probe-pa55',
  probeQuery: 'probe-qs-key',
  envValue: 'env-s3cr3t-value',
  mcpEnvValue: 'mcp-env-s3cr3t',
};

describe('what a viewer can read', () => {
  let service: Awaited<ReturnType<typeof startTestService>>;
  let viewer: string;
  let operatorSecret: string;

  beforeAll(async () => {
    service = await startTestService({ HOST: '127.97.0.1', ALERTMANAGER_URL: `http://amuser:${SECRETS.amPassword}@127.97.9.9:9/?token=${SECRETS.amQuery}`, FAILURE_THRESHOLD: 1 });
    const channels = [
      { id: 'hook', type: 'webhook', url: `http://hookuser:${SECRETS.hookPassword}@127.97.9.9:9/hook?token=${SECRETS.hookQuery}` },
      { id: 'phone', type: 'ntfy', url: `http://127.97.9.9:9/${SECRETS.ntfyTopic}`, token: SECRETS.ntfyToken },
      { id: 'mail', type: 'email', host: '127.97.9.9', port: 9, username: 'ops', password: SECRETS.smtpPassword, allow_plain_auth: true, from: 'mco@example.com', to: ['ops@example.com'] },
    ];
    expect((await service.call('PUT', '/cluster/alerts', { body: { channels } })).status).toBe(200);
    service.core.registry.create(nodeInput('db-1', { tailscale_ip: '127.97.0.11', probes: [{ type: 'http', url: `http://probeuser:${SECRETS.probePassword}@127.97.0.11:9/health?key=${SECRETS.probeQuery}` }] }));
    viewer = (await service.call('POST', '/cluster/tokens', { body: { name: 'wall', scope: 'viewer' } })).body.token;
    operatorSecret = (await service.call('POST', '/cluster/tokens', { body: { name: 'pager', scope: 'operator' } })).body.token;
    // Workload env values, through REST and MCP: no Docker here, so both fail, and both are audited.
    await service.call('PATCH', '/cluster/services/web', { body: { env: { DB_PASSWORD: SECRETS.envValue } } });
    const admin = await httpMcpClient(service.url, 'test-token-0123456789abcdef');
    await call(admin, 'deploy_service', { name: 'web', image: 'nginx:1.27', env: { LD_PRELOAD: SECRETS.mcpEnvValue } });
    await admin.close();
    // A failed probe, failed deliveries and a test alert: errors, events and delivery states, URLs and all.
    // Alertmanager's test is one send per peer; the others retry for ~26 s (their first failures still show as retrying).
    await service.call('POST', '/cluster/alerts/test', { body: { channel_id: 'env-alertmanager' } });
    await service.core.monitor.requestSweep();
    await new Promise((r) => setTimeout(r, 1500));
  }, 60_000);
  afterAll(async () => service?.close());

  const leaks = (where: string, body: string): string[] => [...Object.values(SECRETS), operatorSecret].filter((secret) => body.includes(secret)).map((secret) => `${where}: ${secret}`);

  it('finds no secret in any viewer GET route, bridge answer or push, or MCP answer', async () => {
    const found: string[] = [];
    // Every GET a viewer may call, from the OpenAPI document.
    const paths = (await service.call('GET', '/openapi.json', { token: null })).body.paths as Record<string, Record<string, { 'x-required-scope'?: string }>>;
    let routes = 0;
    for (const [path, operations] of Object.entries(paths)) {
      if (operations.get?.['x-required-scope'] !== 'viewer') continue;
      const url = path.replace('{id}', 'db-1').replace(/\{[^}]+\}/g, 'web');
      const answer = await service.call('GET', url, { token: viewer });
      routes++;
      found.push(...leaks(`GET ${url}`, typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)));
    }
    expect(routes).toBeGreaterThan(20);

    // The web bridge: what a viewer's window reads and what is pushed to it during a sweep.
    const pushed: string[] = [];
    const api = createWebBridgeApi(`${service.url.replace('http', 'ws')}/bridge`, viewer, undefined, WebSocket as unknown as WebSocketConstructor, undefined, () => {});
    for (const event of ['status', 'health', 'event', 'nodes', 'alert'] as const) api.on(event, (payload) => void pushed.push(JSON.stringify(payload)));
    for (const [channel, arg] of [['nodes:list', {}], ['cluster:status', { include_nodes: true }], ['alerts:get', {}], ['events:list', {}], ['audit:list', {}], ['registry:export', {}], ['alerts:silences', { id: 'db-1' }]] as const) {
      found.push(...leaks(`bridge ${channel}`, JSON.stringify(await api.invoke(channel as never, arg as never).catch((e: Error) => e.message))));
    }
    service.core.registry.update('db-1', { description: 'pushed' });
    await service.core.monitor.requestSweep();
    await new Promise((r) => setTimeout(r, 1000));
    api.dispose();
    expect(pushed.length).toBeGreaterThan(0);
    found.push(...pushed.flatMap((p) => leaks('bridge push', p)));

    // MCP over HTTP, as the viewer's agent.
    const agent = await httpMcpClient(service.url, viewer);
    for (const [tool, args] of [['list_alert_channels', {}], ['list_nodes', {}], ['get_node', { id: 'db-1' }], ['list_events', { limit: 200 }], ['cluster_status', { include_nodes: true }]] as const) {
      found.push(...leaks(`mcp ${tool}`, text(await call(agent, tool, args))));
    }
    for (const resource of ['cluster://status', 'node://db-1']) found.push(...leaks(`mcp ${resource}`, JSON.stringify(await agent.readResource({ uri: resource }))));
    await agent.close();

    expect(found).toEqual([]);
  }, 60_000);

  it('still shows an admin the redacted channel URLs, the probe URL and the env variable names it needs', async () => {
    const nodes = JSON.stringify((await service.call('GET', '/cluster/nodes/db-1')).body);
    expect(nodes).toContain(SECRETS.probeQuery); // the admin edits the node: its probe as stored
    const asViewer = (await service.call('GET', '/cluster/nodes/db-1', { token: viewer })).body;
    expect(asViewer.probes[0].url).toBe('http://***@127.97.0.11:9/health?key=***');
    const channels = (await service.call('GET', '/cluster/alerts', { token: viewer })).body.channels as Array<{ channel: { id: string; url?: string; urls?: string[] } }>;
    expect(channels.find((c) => c.channel.id === 'hook')?.channel.url).toBe('http://127.97.9.9:9');
    expect(channels.find((c) => c.channel.id === 'env-alertmanager')?.channel.urls).toEqual(['http://127.97.9.9:9']);
    const audit = JSON.stringify((await service.call('GET', '/cluster/audit')).body);
    expect(audit).toContain('LD_PRELOAD');
    expect(audit).not.toContain(SECRETS.envValue); // the audit never keeps an env value, even for an admin
    expect(audit).not.toContain(SECRETS.mcpEnvValue);
  });
});
