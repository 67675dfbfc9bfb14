import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { nodeInput } from '../helpers/nodes';

const sim = new FleetSimulator([
  { ip: '127.40.0.1', http_port: 8080, behaviour: 'healthy' },
  { ip: '127.40.0.2', http_port: 8080, behaviour: 'refusing' },
]);
let service: Awaited<ReturnType<typeof startTestService>>;
const up = nodeInput('up-1', { tailscale_ip: '127.40.0.1', role: 'master', tags: ['web'], probes: [{ type: 'http', port: 8080 }] });
const down = nodeInput('down-1', { tailscale_ip: '127.40.0.2', probes: [{ type: 'http', port: 8080 }] });

beforeAll(async () => {
  await sim.start();
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
  await sim.stop();
});

describe('REST API', () => {
  it('answers / and /health, with the token required only where it should be', async () => {
    expect((await service.call('GET', '/')).body).toEqual({ name: 'MCP Cloud Orchestrator', version: expect.any(String), docs: '/docs' });
    expect((await service.call('GET', '/', { token: null })).status).toBe(401);
    expect(await service.call('GET', '/health', { token: null })).toMatchObject({ status: 200, body: { status: 'ok' } });
    const wrong = await service.call('GET', '/cluster/status', { token: 'wrong-token-wrong-token' });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'unauthorized', details: [{ field: 'Authorization' }] } });
  });

  it('creates nodes (201), refuses duplicates (409) and invalid fields (422) by name', async () => {
    const created = await service.call('POST', '/cluster/nodes', { body: up });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'up-1', description: '', maintenance: false });
    expect((await service.call('POST', '/cluster/nodes', { body: down })).status).toBe(201);
    expect(await service.call('POST', '/cluster/nodes', { body: up })).toMatchObject({ status: 409, body: { error: 'conflict', details: [{ field: 'id' }] } });
    const invalid = await service.call('POST', '/cluster/nodes', { body: { ...nodeInput('bad'), tailscale_ip: '999.1.1.1', cpu_cores: 0, surprise: 1 } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toBe('validation_error');
    expect(invalid.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['cpu_cores', 'surprise', 'tailscale_ip']);
    expect((await service.call('GET', '/cluster/nodes/bad')).status).toBe(404);
  });

  it('refuses malformed JSON (400) and oversized bodies (413)', async () => {
    expect(await service.call('POST', '/cluster/nodes', { raw: '{"id": "x",' })).toMatchObject({ status: 400, body: { error: 'bad_request', details: [{ field: 'body' }] } });
    const huge = { ...nodeInput('huge'), description: 'x'.repeat(3 * 1024 * 1024) };
    expect(await service.call('POST', '/cluster/nodes', { body: huge })).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    const tooLong = await service.call('POST', '/cluster/nodes', { body: { ...nodeInput('long'), description: 'x'.repeat(5000) } });
    expect(tooLong).toMatchObject({ status: 422, body: { details: [{ field: 'description' }] } });
  });

  it('lists with filters, gets one, and 404s unknown ids', async () => {
    const all = await service.call('GET', '/cluster/nodes');
    expect(all.body.count).toBe(2);
    expect(all.body.nodes[0].health).toMatchObject({ status: 'unknown' });
    expect((await service.call('GET', '/cluster/nodes?role=master')).body.nodes.map((n: { id: string }) => n.id)).toEqual(['up-1']);
    expect((await service.call('GET', '/cluster/nodes?tag=web')).body.count).toBe(1);
    expect((await service.call('GET', '/cluster/nodes?q=down')).body.count).toBe(1);
    expect(await service.call('GET', '/cluster/nodes?role=boss')).toMatchObject({ status: 422, body: { details: [{ field: 'role' }] } });
    expect((await service.call('GET', '/cluster/nodes/up-1')).body.hostname).toBe('up-1-host');
    expect(await service.call('GET', '/cluster/nodes/nope')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('checks one node live and sweeps all, then filters by status', async () => {
    const live = await service.call('GET', '/cluster/nodes/down-1/health');
    expect(live.body).toMatchObject({ node_id: 'down-1', status: 'unhealthy', monitor_state: 'degraded', probes: [{ type: 'http', ok: false, reason: 'refused' }] });
    expect(live.body.error).toMatch(/refused/);
    const sweep = await service.call('POST', '/cluster/health-check');
    expect(sweep.body).toMatchObject({ state: 'critical', total_nodes: 2, healthy_nodes: 1, unhealthy_nodes: 1, down_node_ids: ['down-1'] });
    const upNode = sweep.body.nodes.find((n: { id: string }) => n.id === 'up-1');
    expect(upNode.health).toMatchObject({ status: 'healthy', error: null });
    expect(upNode.health.latency_ms).toBeGreaterThan(0);
    expect((await service.call('GET', '/cluster/nodes?status=unhealthy')).body.nodes.map((n: { id: string }) => n.id)).toEqual(['down-1']);
    const status = await service.call('GET', '/cluster/status');
    expect(status.body.nodes).toBeUndefined();
    expect((await service.call('GET', '/cluster/status?include_nodes=true')).body.nodes).toHaveLength(2);
    expect((await service.call('GET', '/cluster/events')).body.events.filter((e: { kind: string }) => e.kind === 'transition').map((e: { node: string; to: string }) => `${e.node}:${e.to}`)).toEqual(['up-1:healthy', 'down-1:unhealthy']);
    expect((await service.call('GET', '/cluster/nodes/up-1/history')).body.points.length).toBeGreaterThanOrEqual(1);
  });

  it('updates partially (200), refuses bad patches, deletes (204) and 404s', async () => {
    const updated = await service.call('PUT', '/cluster/nodes/up-1', { body: { description: 'edited' } });
    expect(updated.body).toMatchObject({ description: 'edited', tags: ['web'], role: 'master' });
    expect((await service.call('PUT', '/cluster/nodes/up-1', { body: { memory_gb: -2 } })).body.details).toEqual([{ field: 'memory_gb', message: 'must be greater than 0' }]);
    expect((await service.call('PUT', '/cluster/nodes/nope', { body: { description: 'x' } })).status).toBe(404);
    expect((await service.call('DELETE', '/cluster/nodes/down-1')).status).toBe(204);
    expect((await service.call('DELETE', '/cluster/nodes/down-1')).status).toBe(404);
  });

  it('imports and exports seed format, refusing a mixed file with a report', async () => {
    const exported = await service.call('GET', '/cluster/export');
    expect(Object.keys(exported.body.nodes)).toEqual(['up-1']);
    const mixed = { nodes: { fresh: nodeInput('fresh'), broken: { ...nodeInput('broken'), role: 'boss' } } };
    const report = await service.call('POST', '/cluster/import', { body: mixed });
    expect(report.body).toMatchObject({ applied: false, added: ['fresh'], invalid: [{ id: 'broken', field: 'role' }] });
    expect((await service.call('GET', '/cluster/nodes/fresh')).status).toBe(404);
    expect((await service.call('POST', '/cluster/import?dry_run=true&skip_invalid=true', { body: mixed })).body.applied).toBe(false);
    expect((await service.call('POST', '/cluster/import?skip_invalid=true', { body: mixed })).body.applied).toBe(true);
    expect((await service.call('GET', '/cluster/nodes/fresh')).status).toBe(200);
    expect((await service.call('POST', '/cluster/import', { body: { nodes: 5 } })).body.details[0].field).toBe('nodes');
  });

  it('refuses foreign Host and Origin headers and keeps CORS closed', async () => {
    expect(await service.call('GET', '/health', { headers: { host: 'evil.example:80' } })).toMatchObject({ status: 403, body: { details: [{ field: 'Host' }] } });
    const port = new URL(service.url).port;
    expect((await service.call('GET', '/cluster/status', { headers: { host: `localhost:${port}` } })).status).toBe(200);
    expect((await service.call('GET', '/cluster/status', { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await service.call('GET', '/cluster/status', { headers: { origin: service.url } })).status).toBe(200);
    const preflight = await service.call('OPTIONS', '/cluster/nodes', { headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' }, token: null });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves OpenAPI from the shared schemas, Swagger UI and ReDoc from local packages', async () => {
    const spec = await service.call('GET', '/openapi.json', { token: null });
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/cluster/status', '/cluster/nodes', '/cluster/nodes/{id}', '/cluster/nodes/{id}/health', '/cluster/health-check']));
    const postBody = spec.body.paths['/cluster/nodes'].post.requestBody.content['application/json'].schema;
    expect(postBody.properties.tailscale_ip).toBeDefined();
    expect(postBody.properties.role.enum).toEqual(['master', 'worker', 'storage']);
    expect(postBody.properties.id.maxLength).toBe(63);
    const docs = await service.call('GET', '/docs/', { token: null });
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger');
    expect(String((await service.call('GET', '/redoc', { token: null })).body)).toContain('redoc.standalone.js');
    const bundle = await service.call('GET', '/redoc/redoc.standalone.js', { token: null });
    expect(bundle.status).toBe(200);
    expect(String(bundle.body).length).toBeGreaterThan(100_000);
  });
});

describe('service start-up', () => {
  it('binds 127.0.0.1 by default, keeps a generated token 0600 in a 0700 data dir, imports NODES_FILE_PATH once and persists', async () => {
    const first = await startTestService({ API_TOKEN: undefined, NODES_FILE_PATH: path.resolve('data/nodes.json') });
    const dataDir = first.core.dataDir;
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      const tokenFile = path.join(dataDir, 'api-token');
      expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(first.token).toBe(fs.readFileSync(tokenFile, 'utf8').trim());
      expect(first.core.registry.size).toBe(17);
      const call = (await import('../helpers/service')).caller(first.url);
      expect((await call('GET', '/cluster/status', { token: first.token })).body.total_nodes).toBe(17);
      expect((await call('DELETE', '/cluster/nodes/node-17', { token: first.token })).status).toBe(204);
      expect((await call('POST', '/cluster/nodes', { token: first.token, body: nodeInput('added-later') })).status).toBe(201);
    } finally {
      await first.close();
    }
    const second = await startTestService({ DATA_DIR: dataDir, API_TOKEN: undefined, NODES_FILE_PATH: path.resolve('data/nodes.json') });
    try {
      expect(second.token).toBe(first.token);
      expect(second.core.registry.get('node-17')).toBeUndefined(); // not re-imported over the user's edits
      expect(second.core.registry.get('added-later')).toBeDefined();
      expect(second.core.registry.size).toBe(17);
    } finally {
      await second.close();
    }
  });

  it('refuses a second service on the same data directory', async () => {
    const first = await startTestService();
    try {
      await expect(startTestService({ DATA_DIR: first.core.dataDir })).rejects.toThrow(/in use by process/);
    } finally {
      await first.close();
    }
    expect(TEST_TOKEN).toHaveLength(27);
  });
});
