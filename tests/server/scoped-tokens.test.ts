import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';
import { nodeInput } from '../helpers/nodes';

// Issue 25, first slice: scoped tokens over REST. The scope rule lives in one guard
// (src/server/http/route-scopes.ts); tokens are kept hashed in DATA_DIR/tokens.json (0600).
const HOST = '127.78.0.1';
const dataDir = tempDir();
let service: Awaited<ReturnType<typeof startTestService>>;

afterAll(async () => {
  await service?.close();
});

describe('scoped API tokens over REST', () => {
  it('admin creates viewer and operator tokens; each does what its scope allows, and a refusal names the scope it needs', async () => {
    service = await startTestService({ HOST, DATA_DIR: dataDir });
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
    service = await startTestService({ HOST, DATA_DIR: dataDir });
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
