import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';
import { nodeInput } from '../helpers/nodes';
import { call, httpMcpClient, text } from '../helpers/mcp-client';
import { TEST_TOKEN } from '../helpers/service';

// Issue 25: scoped tokens over REST, the web bridge and MCP over HTTP. The scope rule lives in one guard
// (src/server/http/route-scopes.ts); tokens are kept hashed in DATA_DIR/tokens.json (0600).
const HOST = '127.78.0.1';
const dataDir = tempDir();
let service: Awaited<ReturnType<typeof startTestService>>;

afterAll(async () => {
  await service?.close();
});

describe('scoped API tokens over REST', () => {
  it('admin creates viewer and operator tokens; each does what its scope allows, and a refusal names the scope it needs', async () => {
    service = await startTestService({ HOST, DATA_DIR: dataDir, MCP_COMMAND_POLICY: 'allow' });
    service.core.monitor.stop();
    service.core.registry.create(nodeInput('t-1', { tailscale_ip: '127.78.1.1', probes: [{ type: 'tcp', port: 9 }] }));
    const viewer = await service.call('POST', '/cluster/tokens', { body: { name: 'grafana wall', scope: 'viewer' } });
    expect(viewer).toMatchObject({ status: 201, body: { name: 'grafana wall', scope: 'viewer', id: expect.stringMatching(/^tok_/), token: expect.stringMatching(/^mco_/) } });
    const operator = (await service.call('POST', '/cluster/tokens', { body: { name: 'on-call', scope: 'operator' } })).body;
    const v = viewer.body.token as string;
    const o = operator.token as string;

    for (const read of ['/cluster/nodes', '/cluster/status', '/cluster/events', '/metrics']) expect((await service.call('GET', read, { token: v })).status, read).toBe(200);
    for (const [method, url, body] of [
      ['POST', '/cluster/nodes', nodeInput('t-2', { tailscale_ip: '127.78.1.2' })],
      ['PUT', '/cluster/settings', { failure_threshold: 4 }],
      ['POST', '/cluster/commands', { node_ids: ['t-1'], command: 'true' }],
      ['POST', '/cluster/nodes/t-1/containers/web/restart', undefined],
      ['POST', '/cluster/services', { name: 'web', image: 'nginx' }],
      ['POST', '/cluster/tokens', { name: 'mine', scope: 'admin' }],
      ['GET', '/cluster/tokens', undefined],
      ['POST', '/cluster/health-check', undefined],
    ] as const) {
      const answer = await service.call(method, url, { token: v, body });
      expect(answer.status, `${method} ${url}`).toBe(403);
      expect(answer.body.details, `${method} ${url}`).toEqual([{ field: 'scope', message: expect.stringMatching(/^needs (operator|admin)$/) }]);
    }
    expect((await service.call('POST', '/cluster/health-check', { token: o })).status).toBe(200);
    expect((await service.call('POST', '/cluster/pause', { token: o, body: { duration_s: 60 } })).status).toBe(200);
    expect((await service.call('POST', '/cluster/resume', { token: o })).status).toBe(200);
    expect((await service.call('POST', '/cluster/commands', { token: o, body: { node_ids: ['t-1'], command: 'true' } })).body).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/"on-call" has scope operator; POST \/cluster\/commands needs admin/) });
    expect((await service.call('PUT', '/cluster/nodes/t-1', { token: o, body: { description: 'x' } })).status).toBe(403);
    expect(service.core.registry.get('t-1')!.description).toBe('');
    expect((await service.call('GET', '/cluster/nodes/nope', { token: v })).status).toBe(404); // no route scope hides a 404

    // The OpenAPI document states the same rule on each operation.
    const paths = (await service.call('GET', '/openapi.json', { token: null })).body.paths;
    expect(paths['/cluster/nodes/{id}/mute'].put).toMatchObject({ 'x-required-scope': 'operator', description: expect.stringContaining('Token scope: `operator` or higher') });
    expect(paths['/cluster/nodes'].get['x-required-scope']).toBe('viewer');
    expect(paths['/cluster/tokens'].get['x-required-scope']).toBe('admin');
    expect(paths['/health'].get['x-required-scope']).toBeUndefined();
  });

  it('lists tokens without secrets, keeps them hashed in a 0600 file across a restart, and refuses a revoked or expired one at once', async () => {
    const list = (await service.call('GET', '/cluster/tokens')).body.tokens as Array<Record<string, unknown>>;
    expect(list.map((t) => [t.name, t.scope])).toEqual([['grafana wall', 'viewer'], ['on-call', 'operator']]);
    expect(list.every((t) => !('token' in t) && !('hash' in t))).toBe(true);
    const file = path.join(dataDir, 'tokens.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const stored = fs.readFileSync(file, 'utf8');
    const created = (await service.call('POST', '/cluster/tokens', { body: { name: 'ci', scope: 'viewer' } })).body;
    expect(fs.readFileSync(file, 'utf8')).not.toContain(created.token);
    expect(stored).not.toMatch(/mco_/);
    expect((await service.call('POST', '/cluster/tokens', { body: { name: 'ci', scope: 'admin' } })).body.details).toEqual([{ field: 'name', message: 'already exists' }]);
    expect((await service.call('POST', '/cluster/tokens', { body: { name: 'old', scope: 'viewer', expires_at: '2020-01-01T00:00:00Z' } })).body.details).toEqual([{ field: 'expires_at', message: 'must be in the future' }]);
    expect((await service.call('POST', '/cluster/tokens', { body: { name: 'x', scope: 'root' } })).body.details).toEqual([{ field: 'scope', message: 'must be viewer, operator or admin' }]);

    // A restart keeps them; last use is recorded.
    await service.close();
    service = await startTestService({ HOST, DATA_DIR: dataDir, MCP_COMMAND_POLICY: 'allow' });
    service.core.monitor.stop();
    expect((await service.call('GET', '/cluster/status', { token: created.token })).status).toBe(200);
    const revoked = await service.call('DELETE', `/cluster/tokens/${created.id}`);
    expect(revoked).toMatchObject({ status: 200, body: { name: 'ci' } });
    expect((await service.call('GET', '/cluster/status', { token: created.token })).status).toBe(401);
    expect((await service.call('DELETE', `/cluster/tokens/${created.id}`)).status).toBe(404);

    // Expiry takes effect at once, with no restart.
    const soon = (await service.call('POST', '/cluster/tokens', { body: { name: 'brief', scope: 'viewer', expires_at: new Date(Date.now() + 1500).toISOString() } })).body;
    expect((await service.call('GET', '/cluster/status', { token: soon.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1800));
    expect((await service.call('GET', '/cluster/status', { token: soon.token })).status).toBe(401);
    // The audit names tokens by name and id, never by secret.
    const audit = JSON.stringify((await service.call('GET', '/cluster/audit')).body);
    expect(audit).toMatch(/token_create.*ci \(viewer, tok_/);
    expect(audit).toMatch(/token_revoke/);
    expect(audit).not.toMatch(/mco_/);
  }, 30_000);

  it('a scoped token named "admin" is audited by its id, name and scope, never as the admin token', async () => {
    const impostor = (await service.call('POST', '/cluster/tokens', { body: { name: 'admin', scope: 'operator' } })).body;
    expect((await service.call('PUT', '/cluster/nodes/t-1/mute', { token: impostor.token, body: { hours: 0 } })).status).toBe(200);
    expect((await service.call('POST', '/cluster/tokens', { body: { name: 'x', scope: 'viewer' } })).status).toBe(201);
    const actors = ((await service.call('GET', '/cluster/audit')).body.entries as Array<{ actor: string }>).map((e) => e.actor);
    expect(actors).toContain(`rest:token ${impostor.id} "admin" (operator)`);
    expect(actors).toContain('rest:admin token');
    expect(actors).not.toContain('rest:admin');
  });

  it('an operator mutes and sets maintenance through its own routes, audited with the token\'s name; a viewer cannot', async () => {
    const o = (await service.call('POST', '/cluster/tokens', { body: { name: 'pager', scope: 'operator' } })).body.token;
    const v = (await service.call('POST', '/cluster/tokens', { body: { name: 'wall', scope: 'viewer' } })).body.token;
    expect((await service.call('PUT', '/cluster/nodes/t-1/mute', { token: o, body: { hours: 4 } })).body.muted_until).toEqual(expect.any(String));
    expect((await service.call('PUT', '/cluster/nodes/t-1/maintenance', { token: o, body: { maintenance: true } })).body.maintenance).toBe(true);
    expect((await service.call('PUT', '/cluster/nodes/t-1/mute', { token: o, body: { hours: 3 } })).body.details).toEqual([{ field: 'hours', message: 'must be one of 0, 1, 4, 8 (0 unmutes)' }]);
    expect((await service.call('PUT', '/cluster/nodes/t-1/maintenance', { token: v, body: { maintenance: false } })).body.details).toEqual([{ field: 'scope', message: 'needs operator' }]);
    expect(service.core.registry.get('t-1')!.maintenance).toBe(true);
    const audit = (await service.call('GET', '/cluster/audit')).body.entries as Array<Record<string, unknown>>;
    expect(audit.filter((e) => /^rest:token tok_[\w-]+ "pager" \(operator\)$/.test(String(e.actor))).map((e) => [e.action, e.detail])).toEqual([['mute_node', 'muted for 4 h'], ['set_maintenance', 'maintenance on']]);
  });
});

function openBridge(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${service.url.replace('http', 'ws')}/bridge`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A bridge socket signed in with `token`: its answers by id, its pushes, its close code. */
async function bridgeSession(token: string) {
  const ws = await openBridge();
  const messages: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send(JSON.stringify({ type: 'auth', token }));
  await expect.poll(() => messages.some((m) => m.type === 'ready')).toBe(true);
  let id = 0;
  return {
    ready: messages.find((m) => m.type === 'ready'),
    pushes: () => messages.filter((m) => m.event),
    closed,
    async invoke(channel: string, arg: unknown = {}) {
      const mine = ++id;
      ws.send(JSON.stringify({ id: mine, channel, arg }));
      await expect.poll(() => messages.some((m) => m.id === mine)).toBe(true);
      return messages.find((m) => m.id === mine) as { ok: boolean; result?: unknown; error?: { error: string; message: string; details: unknown } };
    },
    close: () => ws.close(),
  };
}

describe('scoped tokens on the web bridge and on MCP over HTTP', () => {
  const token = async (name: string, scope: string, extra: Record<string, unknown> = {}) => (await service.call('POST', '/cluster/tokens', { body: { name, scope, ...extra } })).body as { id: string; token: string };

  it('the bridge answers a viewer\'s reads, refuses its writes naming the scope, and pushes it no command output', async () => {
    const viewer = await bridgeSession((await token('bridge viewer', 'viewer')).token);
    const admin = await bridgeSession(TEST_TOKEN);
    expect(viewer.ready).toEqual({ type: 'ready', principal: { name: 'bridge viewer', scope: 'viewer' } });
    expect((await viewer.invoke('auth:whoami')).result).toEqual({ name: 'bridge viewer', scope: 'viewer' });
    expect((await viewer.invoke('nodes:list')).ok).toBe(true);
    for (const [channel, arg, need] of [
      ['nodes:create', nodeInput('b-2', { tailscale_ip: '127.78.1.3' }), 'admin'],
      ['commands:run', { node_ids: ['t-1'], command: 'true' }, 'admin'],
      ['tokens:list', {}, 'admin'],
      ['cluster:checkNow', {}, 'operator'],
      ['nodes:mute', { id: 't-1', hours: 1 }, 'operator'],
    ] as const) {
      const answer = await viewer.invoke(channel, arg);
      expect(answer, channel).toMatchObject({ ok: false, error: { error: 'forbidden', details: [{ field: 'scope', message: `needs ${need}` }] } });
    }
    expect(service.core.registry.get('b-2')).toBeUndefined();
    // Pushes: both see a node added; only the admin sees a command's output.
    expect((await admin.invoke('nodes:create', nodeInput('b-3', { tailscale_ip: '127.78.1.4' }))).ok).toBe(true);
    service.core.ssh.events.emit('command', { run_id: 'r1', type: 'output', node_id: 't-1', stream: 'stdout', chunk: 'secret output' });
    await expect.poll(() => admin.pushes().some((m) => m.event === 'command')).toBe(true);
    await expect.poll(() => viewer.pushes().some((m) => m.event === 'nodes')).toBe(true);
    expect(viewer.pushes().some((m) => m.event === 'command')).toBe(false);
    viewer.close();
    admin.close();
  });

  it('an operator\'s bridge socket acts as its token in the audit log, and is closed at once when the token is revoked or expires', async () => {
    const pager = await token('bridge pager', 'operator');
    const session = await bridgeSession(pager.token);
    expect((await session.invoke('nodes:mute', { id: 't-1', hours: 1 })).ok).toBe(true);
    const audit = (await service.call('GET', '/cluster/audit')).body.entries as Array<Record<string, unknown>>;
    expect(audit.at(-1)).toMatchObject({ actor: `web-ui:token ${pager.id} "bridge pager" (operator)`, action: 'mute_node' });
    expect((await service.call('DELETE', `/cluster/tokens/${pager.id}`)).status).toBe(200);
    expect(await session.closed).toBe(4401);

    const brief = await token('bridge brief', 'viewer', { expires_at: new Date(Date.now() + 1200).toISOString() });
    const short = await bridgeSession(brief.token);
    const started = Date.now();
    expect(await short.closed).toBe(4401);
    expect(Date.now() - started).toBeLessThan(3000);
    // A revoked token cannot sign in again.
    const again = await openBridge();
    const code = new Promise<number>((resolve) => again.once('close', (c) => resolve(c)));
    again.send(JSON.stringify({ type: 'auth', token: pager.token }));
    expect(await code).toBe(4401);
  });

  it('MCP over HTTP lists only the tools of the token\'s scope, refuses the others with 403 naming the scope, and audits as the token', async () => {
    const viewer = await token('agent viewer', 'viewer');
    const operator = await token('agent operator', 'operator');
    const asViewer = await httpMcpClient(service.url, viewer.token);
    const viewerTools = (await asViewer.listTools()).tools.map((t) => t.name);
    expect(viewerTools).toContain('list_nodes');
    for (const hidden of ['add_node', 'remove_node', 'run_command', 'check_health', 'mute_node', 'restart_container', 'deploy_service']) expect(viewerTools).not.toContain(hidden);
    await expect(call(asViewer, 'remove_node', { id: 't-1' })).rejects.toThrow(/403|forbidden|needs admin/i);
    const raw = await service.call('POST', '/mcp', {
      token: viewer.token,
      headers: { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'remove_node', arguments: { id: 't-1' } } },
    });
    expect(raw).toMatchObject({ status: 403, body: { error: 'forbidden', details: [{ field: 'scope', message: 'needs admin' }] } });
    expect(raw.body.message).toMatch(/"agent viewer" has scope viewer; the MCP tool remove_node needs admin/);
    expect(service.core.registry.get('t-1')).toBeDefined();

    const asOperator = await httpMcpClient(service.url, operator.token);
    const operatorTools = (await asOperator.listTools()).tools.map((t) => t.name);
    expect(operatorTools).toEqual(expect.arrayContaining(['check_health', 'mute_node', 'set_maintenance', 'restart_container', 'drain_node']));
    for (const hidden of ['add_node', 'update_node', 'remove_node', 'run_command', 'deploy_service']) expect(operatorTools).not.toContain(hidden);
    const muted = await call(asOperator, 'set_maintenance', { id: 't-1', maintenance: false });
    expect(muted.isError, text(muted)).toBeFalsy();
    expect(service.core.registry.get('t-1')!.maintenance).toBe(false);
    const audit = (await service.call('GET', '/cluster/audit')).body.entries as Array<Record<string, unknown>>;
    expect(audit.filter((e) => /^mcp:http:token tok_[\w-]+ "agent operator" \(operator\)$/.test(String(e.actor))).map((e) => e.action)).toContain('set_maintenance');

    // A call still open when its token is revoked is cut off: check_health on a node whose HTTP
    // probe hangs (a listener that never answers) against a 20 s timeout, revoked after 300 ms.
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.78.1.3', r));
    const silentPort = (silent.address() as net.AddressInfo).port;
    service.core.registry.create(nodeInput('t-slow', { tailscale_ip: '127.78.1.3', probes: [{ type: 'http', port: silentPort, path: '/' }] }));
    expect((await service.call('PUT', '/cluster/settings', { body: { interval_s: 3600, timeout_s: 20 } })).status).toBe(200);
    const startedAt = Date.now();
    const inFlight = call(asOperator, 'check_health', { id: 't-slow' }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await new Promise((r) => setTimeout(r, 300));
    await service.call('DELETE', `/cluster/tokens/${operator.id}`);
    expect(await inFlight).not.toBe('answered');
    expect(Date.now() - startedAt).toBeLessThan(5000);
    silent.close();
    service.core.registry.remove('t-slow');
    // Revoked: the next request is refused.
    await expect(asOperator.listTools()).rejects.toThrow(/401|invalid/i);
    await asViewer.close();
  });
});

// Last: it leaves this address past the failure limit for a minute.
describe('brute force', () => {
  it('holds back an address past 10 failed authentications a minute with 429 and Retry-After, while a valid token keeps getting 200', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      statuses.push((await service.call('GET', '/cluster/status', { token: `wrong-${i}` })).status);
      if (i % 10 === 0) expect((await service.call('GET', '/cluster/status')).status).toBe(200);
    }
    // Ten failures a minute (some were spent above on a revoked and an expired token), then 429 only.
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(10);
    expect(new Set(statuses.slice(0, first))).toEqual(new Set([401]));
    expect(new Set(statuses.slice(first))).toEqual(new Set([429]));
    const held = await service.call('GET', '/cluster/nodes', { token: 'still-wrong' });
    expect(held).toMatchObject({ status: 429, body: { error: 'too_many_requests', details: [{ field: 'Authorization', message: 'too many failures' }] } });
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(held.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});
