import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../helpers/sshd';
import { nodeInput } from '../helpers/nodes';
import { sampleTailnet } from '../helpers/tailscale-status';

// Every operation in /openapi.json is called with a valid and an invalid request; each answer's status
// must be documented for that operation and its body must match the documented schema. The list of
// operations comes from the document, so a new route without a case here fails this test.

type Req = { path?: string; query?: string; body?: unknown; raw?: string; headers?: Record<string, string>; token?: string | null; status: number };
type Case = { valid: Req[]; invalid: Req[] };
const FOREIGN_HOST = { headers: { host: 'evil.example:80' } };

const CASES: Record<string, Case> = {
  'GET /docs/': { valid: [{ status: 200 }], invalid: [{ ...FOREIGN_HOST, status: 403 }] },
  'GET /openapi.json': { valid: [{ token: null, status: 200 }], invalid: [{ ...FOREIGN_HOST, status: 403 }] },
  'GET /redoc': { valid: [{ token: null, status: 200 }], invalid: [{ headers: { origin: 'http://evil.example' }, status: 403 }] },
  'GET /': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'GET /health': { valid: [{ token: null, status: 200 }], invalid: [{ ...FOREIGN_HOST, status: 403 }] },
  'GET /cluster/status': { valid: [{ query: 'include_nodes=true', status: 200 }], invalid: [{ query: 'include_nodes=maybe', status: 422 }, { token: 'bearer-of-bad-news', status: 401 }] },
  'POST /cluster/health-check': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'GET /cluster/events': { valid: [{ query: 'limit=5', status: 200 }], invalid: [{ query: 'limit=0', status: 422 }] },
  'GET /cluster/settings': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'PUT /cluster/settings': { valid: [{ body: { failure_threshold: 3 }, status: 200 }], invalid: [{ body: { failure_threshold: 0 }, status: 422 }, { raw: '{', status: 400 }] },
  'POST /cluster/pause': { valid: [{ body: { duration_s: 60 }, status: 200 }], invalid: [{ body: { duration_s: -1 }, status: 422 }, { raw: 'x', headers: { 'content-type': 'text/plain' }, status: 415 }] },
  'POST /cluster/resume': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'DELETE /cluster/demo': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'GET /cluster/nodes': { valid: [{ query: 'role=worker', status: 200 }], invalid: [{ query: 'role=boss', status: 422 }] },
  'POST /cluster/nodes': {
    valid: [{ body: nodeInput('c-new'), status: 201 }],
    invalid: [{ body: nodeInput('c-new'), status: 409 }, { body: { ...nodeInput('c-bad'), cpu_cores: 0 }, status: 422 }, { body: { ...nodeInput('c-big'), description: 'x'.repeat(3 * 1024 * 1024) }, status: 413 }],
  },
  'GET /cluster/nodes/{id}': { valid: [{ path: '/cluster/nodes/c-1', status: 200 }], invalid: [{ path: '/cluster/nodes/nope', status: 404 }] },
  'PUT /cluster/nodes/{id}': {
    valid: [{ path: '/cluster/nodes/c-1', body: { description: 'edited', id: 'c-1' }, status: 200 }],
    invalid: [{ path: '/cluster/nodes/c-1', body: { id: 'c-renamed' }, status: 422 }, { path: '/cluster/nodes/nope', body: {}, status: 404 }, { path: '/cluster/nodes/c-1', body: { tailscale_ip: '127.54.1.2', ssh: { port: 1 } }, status: 409 }],
  },
  'DELETE /cluster/nodes/{id}': { valid: [{ path: '/cluster/nodes/c-new', status: 204 }], invalid: [{ path: '/cluster/nodes/c-new', status: 404 }] },
  'GET /cluster/nodes/{id}/health': { valid: [{ path: '/cluster/nodes/c-1/health', status: 200 }], invalid: [{ path: '/cluster/nodes/nope/health', status: 404 }] },
  'PUT /cluster/nodes/{id}/mute': {
    valid: [{ path: '/cluster/nodes/c-1/mute', body: { hours: 1 }, status: 200 }, { path: '/cluster/nodes/c-1/mute', body: { hours: 0 }, status: 200 }],
    invalid: [{ path: '/cluster/nodes/c-1/mute', body: { hours: 2 }, status: 422 }, { path: '/cluster/nodes/nope/mute', body: { hours: 1 }, status: 404 }],
  },
  'PUT /cluster/nodes/{id}/maintenance': {
    valid: [{ path: '/cluster/nodes/c-1/maintenance', body: { maintenance: false }, status: 200 }],
    invalid: [{ path: '/cluster/nodes/c-1/maintenance', body: { maintenance: 'yes' }, status: 422 }, { path: '/cluster/nodes/nope/maintenance', body: { maintenance: true }, status: 404 }],
  },
  'GET /cluster/nodes/{id}/history': { valid: [{ path: '/cluster/nodes/c-1/history', query: 'range=24h', status: 200 }], invalid: [{ path: '/cluster/nodes/c-1/history', query: 'range=1y', status: 422 }] },
  'GET /cluster/export': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'POST /cluster/import': {
    valid: [{ query: 'dry_run=true', body: { nodes: { 'c-imp': nodeInput('c-imp') } }, status: 200 }],
    invalid: [{ body: { nodes: [] }, status: 422 }, { query: 'dry_run=perhaps', body: { nodes: {} }, status: 422 }],
  },
  'POST /cluster/import/tailscale': { valid: [{ query: 'dry_run=true', body: sampleTailnet(), status: 200 }], invalid: [{ body: { Peer: 5 }, status: 422 }] },
  'GET /cluster/tailscale/presence': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'POST /cluster/commands': {
    valid: [{ body: { node_ids: ['c-1'], command: 'echo hi', timeout: 10 }, status: 200 }],
    invalid: [{ body: { node_ids: ['c-1'], role: 'worker', command: 'x' }, status: 422 }, { body: { node_ids: ['nope'], command: 'x' }, status: 404 }],
  },
  'POST /cluster/commands/{run_id}/cancel': { valid: [{ path: '/cluster/commands/no-such-run/cancel', status: 200 }], invalid: [{ path: `/cluster/commands/${'r'.repeat(65)}/cancel`, status: 422 }] },
  'GET /cluster/nodes/{id}/metrics': { valid: [{ path: '/cluster/nodes/c-1/metrics', status: 200 }], invalid: [{ path: '/cluster/nodes/nope/metrics', status: 404 }, { path: '/cluster/nodes/c-nossh/metrics', status: 503 }] },
  'GET /cluster/nodes/{id}/host-key': { valid: [{ path: '/cluster/nodes/c-1/host-key', status: 200 }], invalid: [{ path: '/cluster/nodes/nope/host-key', status: 404 }] },
  'DELETE /cluster/nodes/{id}/host-key': { valid: [{ path: '/cluster/nodes/c-1/host-key', status: 204 }], invalid: [{ path: '/cluster/nodes/nope/host-key', status: 404 }] },
  'PUT /cluster/nodes/{id}/host-key': {
    valid: [{ path: '/cluster/nodes/c-1/host-key', body: { fingerprints: [`SHA256:${'A'.repeat(43)}`] }, status: 200 }],
    invalid: [{ path: '/cluster/nodes/c-1/host-key', body: { fingerprints: ['md5:xx'] }, status: 422 }],
  },
  'POST /cluster/suggest': { valid: [{ body: { cpu_cores: 1, memory_gb: 1 }, status: 200 }], invalid: [{ body: { cpu_cores: 0 }, status: 422 }] },
  'GET /cluster/audit': { valid: [{ query: 'limit=10', status: 200 }], invalid: [{ query: 'limit=x', status: 422 }] },
  'GET /cluster/peers': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'PUT /cluster/peers': { valid: [{ body: { peers: [] }, status: 200 }], invalid: [{ body: { peers: [{ url: 'http://127.0.0.1:1' }] }, status: 422 }, { body: { peers: 'x' }, status: 422 }, { raw: '{', status: 400 }] },
  'GET /cluster/settings/sources': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'GET /cluster/alerts': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'PUT /cluster/alerts': { valid: [{ body: { channels: [] }, status: 200 }], invalid: [{ body: { channels: [{ id: 'x', type: 'pager' }] }, status: 422 }, { raw: '{', status: 400 }] },
  'POST /cluster/alerts/test': { valid: [{ body: {}, status: 200 }], invalid: [{ body: { channel_id: 'nope' }, status: 404 }, { body: { channel: 'x' }, status: 422 }] },
  'GET /cluster/nodes-file': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'GET /cluster/nodes/{id}/silences': { valid: [{ path: '/cluster/nodes/c-1/silences', status: 200 }], invalid: [{ path: '/cluster/nodes/nope/silences', status: 404 }] },
  'GET /metrics': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  // Docker answers are covered against real daemons in tests/containers; here no node has Docker enabled.
  'GET /cluster/nodes/{id}/containers': { valid: [{ path: '/cluster/nodes/c-1/containers', status: 409 }], invalid: [{ path: '/cluster/nodes/nope/containers', status: 404 }] },
  'GET /cluster/nodes/{id}/containers/{cid}/stats': { valid: [{ path: '/cluster/nodes/c-1/containers/web/stats', status: 409 }], invalid: [{ path: '/cluster/nodes/c-1/containers/-web/stats', status: 422 }] },
  'POST /cluster/nodes/{id}/containers/{cid}/{action}': { valid: [{ path: '/cluster/nodes/c-1/containers/web/restart', status: 409 }], invalid: [{ path: '/cluster/nodes/c-1/containers/web/explode', status: 422 }] },
  'GET /cluster/nodes/{id}/containers/{cid}/logs': { valid: [{ path: '/cluster/nodes/c-1/containers/web/logs', query: 'tail=5', status: 409 }], invalid: [{ path: '/cluster/nodes/c-1/containers/web/logs', query: 'tail=0', status: 422 }] },
  'GET /cluster/swarm': { valid: [{ status: 409 }], invalid: [{ token: null, status: 401 }] },
  'POST /cluster/nodes/{id}/swarm/{availability}': { valid: [{ path: '/cluster/nodes/c-1/swarm/drain', status: 409 }], invalid: [{ path: '/cluster/nodes/c-1/swarm/explode', status: 422 }] },
  // Workloads against a real swarm are in tests/workloads; here no node has Docker enabled.
  'GET /cluster/services': { valid: [{ status: 409 }], invalid: [{ token: null, status: 401 }] },
  'POST /cluster/services': { valid: [{ body: { name: 'web', image: 'nginx:1.27', replicas: 2 }, status: 409 }], invalid: [{ body: { name: 'web', image: 'Not An Image' }, status: 422 }, { body: { name: 'web', image: 'nginx', limits: { memory_mb: 4 } }, status: 422 }] },
  'POST /cluster/services/plan': { valid: [{ body: { name: 'web', image: 'nginx:1.27', replicas: 2, max_replicas_per_node: 1 }, status: 409 }], invalid: [{ body: { name: 'web', image: 'nginx', mode: 'global', max_replicas_per_node: 1 }, status: 422 }] },
  'POST /cluster/jobs/plan': { valid: [{ body: { name: 'batch', image: 'busybox', completions: 4, concurrency: 2 }, status: 409 }], invalid: [{ body: { name: 'batch', image: 'busybox', concurrency: 0 }, status: 422 }] },
  'GET /cluster/services/{name}': { valid: [{ path: '/cluster/services/web', status: 409 }], invalid: [{ path: '/cluster/services/-web', status: 422 }] },
  'PATCH /cluster/services/{name}': { valid: [{ path: '/cluster/services/web', body: { replicas: 2 }, status: 409 }], invalid: [{ path: '/cluster/services/web', body: {}, status: 422 }] },
  'DELETE /cluster/services/{name}': { valid: [{ path: '/cluster/services/web', status: 409 }], invalid: [{ path: '/cluster/services/-web', status: 422 }] },
  'POST /cluster/services/{name}/rollback': { valid: [{ path: '/cluster/services/web/rollback', status: 409 }], invalid: [{ path: '/cluster/services/-web/rollback', status: 422 }] },
  'GET /cluster/services/{name}/logs': { valid: [{ path: '/cluster/services/web/logs', query: 'tail=5', status: 409 }], invalid: [{ path: '/cluster/services/web/logs', query: 'tail=0', status: 422 }] },
  'POST /cluster/jobs': { valid: [{ body: { name: 'batch', image: 'busybox', completions: 4, concurrency: 2 }, status: 409 }], invalid: [{ body: { name: 'batch', image: 'busybox', completions: 0 }, status: 422 }] },
  'GET /cluster/jobs/{name}': { valid: [{ path: '/cluster/jobs/batch', status: 409 }], invalid: [{ path: '/cluster/jobs/-batch', status: 422 }] },
  'GET /cluster/tokens': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'POST /cluster/tokens': { valid: [{ body: { name: 'c-tok', scope: 'viewer' }, status: 201 }], invalid: [{ body: { name: 'c-tok', scope: 'viewer' }, status: 409 }, { body: { name: 'c-tok2', scope: 'root' }, status: 422 }] },
  // valid: a token created in beforeAll (its id is known only then)
  'DELETE /cluster/tokens/{id}': { valid: [], invalid: [{ path: '/cluster/tokens/tok_nosuchtoken', status: 404 }, { path: '/cluster/tokens/nope', status: 422 }] },
  'GET /cluster/failover': { valid: [{ status: 200 }], invalid: [{ token: null, status: 401 }] },
  'PUT /cluster/failover': { valid: [{ body: { max_drained_nodes: 2 }, status: 200 }], invalid: [{ body: { enabled: 'x' }, status: 422 }, { raw: '{', status: 400 }] },
};

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }>; security?: unknown[] };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };
const SSH_IP = '127.54.1.1';
let fleet: SshdFleet | undefined;
let service: Awaited<ReturnType<typeof startTestService>>;
let doc: Doc;
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });

/** OpenAPI 3.0 says exclusiveMinimum: true beside minimum; Ajv speaks the later JSON Schema form. */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (out[flag] === true) [out[flag], out[bound]] = [out[bound], undefined];
    else if (out[flag] === false) delete out[flag];
    if (out[bound] === undefined) delete out[bound];
  }
  if (typeof out.$ref === 'string') out.$ref = out.$ref.replace('#/components/schemas/', 'components#/');
  return out;
}

const operations = () => Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));

beforeAll(async () => {
  if (!sshdMissing) fleet = await startSshdFleet([SSH_IP]);
  service = await startTestService({ HOST: '127.54.0.5', AUTH_FAILURES_PER_MINUTE: 1000, ...(fleet ? { SSH_KEY_PATH: fleet.clientKey } : {}) });
  service.core.monitor.stop();
  service.core.registry.create(nodeInput('c-1', { tailscale_ip: SSH_IP, probes: [{ type: 'tcp', port: fleet?.port ?? 1 }], ssh: fleet ? { user: fleet.user, port: fleet.port } : undefined }));
  service.core.registry.create(nodeInput('c-nossh', { tailscale_ip: '127.54.1.2', ssh: { port: 1 }, probes: [{ type: 'tcp', port: 1 }] }));
  doc = (await service.call('GET', '/openapi.json', { token: null })).body;
  const revocable = (await service.call('POST', '/cluster/tokens', { body: { name: 'c-revocable', scope: 'viewer' } })).body;
  CASES['DELETE /cluster/tokens/{id}'].valid.push({ path: `/cluster/tokens/${revocable.id}`, status: 200 });
  ajv.addSchema(toJsonSchema({ $id: 'components', ...doc.components.schemas }) as object);
}, 60_000);
afterAll(async () => {
  await service?.close();
  await fleet?.stop();
});

describe('the OpenAPI document', () => {
  it('validates with @apidevtools/swagger-parser', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('says what the service does: errors, public routes, empty 204s, booleans, command selectors', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) >= 400) expect(response.content?.['application/json'].schema, `${name} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
          if (status === '204') expect(response.content, `${name} 204`).toBeUndefined();
        }
        const isPublic = ['/health', '/openapi.json', '/docs/', '/redoc'].includes(path);
        if (isPublic) expect(op.security, name).toEqual([]);
        else expect(op.responses['401'], name).toBeDefined();
      }
    }
    const importOp = doc.paths['/cluster/import'].post as Operation & { parameters: Array<{ name: string; schema: { type: string } }>; requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } };
    expect(importOp.parameters.map((p) => `${p.name}:${p.schema.type}`)).toEqual(['dry_run:boolean', 'skip_invalid:boolean']);
    expect(importOp.requestBody.content['application/json'].schema.properties.nodes).toMatchObject({ additionalProperties: { properties: { hostname: expect.any(Object) } } });
    const commands = (doc.paths['/cluster/commands'].post as unknown as { requestBody: { content: Record<string, { schema: { oneOf: unknown } }> } }).requestBody.content['application/json'].schema;
    expect(commands.oneOf).toEqual([{ required: ['node_ids'] }, { required: ['role'] }, { required: ['tag'] }]);
    const put = (doc.paths['/cluster/nodes/{id}'].put as unknown as { requestBody: { content: Record<string, { schema: { properties: { id: { description: string } } } }> } }).requestBody.content['application/json'].schema;
    expect(put.properties.id.description).toMatch(/cannot change/);
    expect(Object.keys(doc.paths['/cluster/nodes'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '422']));
    expect(Object.keys(doc.paths['/cluster/nodes/{id}/metrics'].get.responses)).toEqual(expect.arrayContaining(['404', '409', '503']));
  });

  it('has a case in this test for every operation, and no case for a route it lacks', () => {
    const documented = operations();
    expect(documented.filter((op) => !CASES[op]), 'operations with no case in CASES').toEqual([]);
    expect(Object.keys(CASES).filter((op) => !documented.includes(op)), 'cases for routes that are not documented').toEqual([]);
  });
});

describe.skipIf(sshdMissing)('every route, called as documented', () => {
  it('answers valid and invalid requests with documented statuses and bodies', async () => {
    // The checker itself can fail: a body that is not the error shape does not pass as one.
    expect(ajv.validate({ $ref: 'components#/Error' }, { error: 'x' })).toBe(false);
    const seen: string[] = [];
    for (const name of operations()) {
      const [method, path] = name.split(' ');
      const operation = doc.paths[path][method.toLowerCase()];
      for (const [kind, request] of [...CASES[name].valid.map((r) => ['valid', r] as const), ...CASES[name].invalid.map((r) => ['invalid', r] as const)]) {
        const url = (request.path ?? path) + (request.query ? `?${request.query}` : '');
        const headers = { accept: 'application/json', ...request.headers };
        const res = await service.call(method, url, { body: request.body, raw: request.raw, headers, token: request.token === undefined ? TEST_TOKEN : request.token });
        const label = `${kind} ${method} ${url} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
        expect(res.status, label).toBe(request.status);
        const documented = operation.responses[String(res.status)];
        expect(documented, `${label}: status not documented`).toBeDefined();
        const content = documented.content;
        if (!content) expect(res.body, `${label}: documented without a body`).toBeNull();
        else if (content['application/json']) {
          const validate = ajv.compile(toJsonSchema(content['application/json'].schema) as object);
          expect(validate(res.body), `${label}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        } else expect(Object.keys(content), label).toContain(String(res.headers['content-type']).split(';')[0]);
        if (res.status === 401) expect(res.headers['www-authenticate'], label).toMatch(/^Bearer/);
        seen.push(`${kind} ${name} ${res.status}`);
      }
    }
    console.log(`[openapi-contract] ${seen.length} calls over ${operations().length} operations`);
  }, 120_000);
});
