import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertChannelSchema } from '../../src/shared/schemas/alerts';
import { startTestService } from '../helpers/service';

// Issue 32, findings 16 and 19: what the OpenAPI document says is what the service enforces, in words
// every validator reads the same way. Service on 127.68.3.1.
let service: Awaited<ReturnType<typeof startTestService>>;
let doc: unknown;
beforeAll(async () => {
  service = await startTestService({ HOST: '127.68.3.1' });
  doc = (await service.call('GET', '/openapi.json', { token: null })).body;
});
afterAll(() => service?.close());

/** Every value of `key` in the document, with where it is. */
function collect(value: unknown, key: string, at = '#'): Array<[string, unknown, Record<string, unknown>]> {
  if (!value || typeof value !== 'object') return [];
  const node = value as Record<string, unknown>;
  return Object.entries(node).flatMap(([k, v]) => [...(k === key ? [[`${at}/${k}`, v, node] as [string, unknown, Record<string, unknown>]] : []), ...collect(v, key, `${at}/${k}`)]);
}

/** Whether a `[` stands unescaped inside a character class. */
function bareBracketInClass(pattern: string): boolean {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (!inClass && c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++; // a leading ] is literal to most engines
    } else if (inClass && c === '[') return true;
    else if (inClass && c === ']') inClass = false;
  }
  return false;
}

describe('the OpenAPI document, read by other validators', () => {
  it('writes every pattern portably: it compiles in unicode mode (as ajv reads it) and has no unescaped [ inside a class (a nested class or POSIX class to Rust, PCRE and Python)', () => {
    const patterns = collect(doc, 'pattern').filter(([, p]) => typeof p === 'string') as Array<[string, string, unknown]>;
    expect(patterns.length).toBeGreaterThan(5);
    const broken = [...new Set(patterns.flatMap(([, pattern]) => {
      try {
        new RegExp(pattern, 'u');
      } catch (error) {
        return [`${pattern}: ${(error as Error).message}`];
      }
      return bareBracketInClass(pattern) ? [`${pattern}: unescaped [ inside a character class`] : [];
    }))];
    expect(broken).toEqual([]);
    expect(bareBracketInClass('^tcp://[A-Za-z0-9_.:[\\]-]+$')).toBe(true); // the docker.host pattern before the fix
  });

  it('writes patterns that mean the same without flags (issue 40, item 23): no Unicode property or code point escapes, which need the u flag', () => {
    const patterns = collect(doc, 'pattern').filter(([, p]) => typeof p === 'string') as Array<[string, string, unknown]>;
    const unflagged = [...new Set(patterns.flatMap(([at, pattern]) => {
      try {
        new RegExp(pattern);
      } catch (error) {
        return [`${at} ${pattern}: ${(error as Error).message}`];
      }
      return /\\[pPu]\{/.test(pattern) ? [`${at} ${pattern}: means something else without the u flag`] : [];
    }))];
    expect(unflagged).toEqual([]);
    expect(/\\[pPu]\{/.test('^[^\\s\\p{Z}\\p{C}]+$')).toBe(true); // the hostname pattern before the fix
  });

  it('carries the rules it enforces (item 21): unique tags and roles, env names, a patch that changes something', async () => {
    const schemas = JSON.stringify(doc);
    const spec = (doc as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> }).paths;
    const body = (path: string, method: string) => JSON.stringify(spec[path][method].requestBody!.content['application/json'].schema);
    expect(body('/cluster/nodes', 'post')).toContain('"uniqueItems":true');
    const placement = collect(JSON.parse(body('/cluster/services', 'post')), 'roles').map(([, roles]) => roles as Record<string, unknown>);
    expect(placement.length).toBeGreaterThan(0);
    for (const roles of placement) expect(roles.uniqueItems).toBe(true);
    // OpenAPI 3.0 has no propertyNames: the env names' rule is in the description, beside maxProperties.
    const env = collect(JSON.parse(body('/cluster/services', 'post')), 'env').map(([, e]) => e as Record<string, unknown>);
    expect(env.map((e) => [e.maxProperties, String(e.description).startsWith('Environment variables; each name matches ^[A-Za-z_][A-Za-z0-9_]*$')])).toEqual([[256, true]]);
    expect(body('/cluster/services/{name}', 'patch')).toContain('"minProperties":1');
    expect(schemas).toContain('a time in the future');
    const patch = await service.call('PATCH', '/cluster/services/web', { body: {} });
    expect(patch.status).toBe(422);
    expect(patch.body.details).toEqual([{ field: '(root)', message: 'must name at least one field to change' }]);
  });

  it('links each create to the read, update and delete of what it made (item 24), every operation named', () => {
    const paths = (doc as { paths: Record<string, Record<string, { operationId?: string; responses: Record<string, { links?: Record<string, { operationId: string; parameters: Record<string, string> }> }> }>> }).paths;
    const ids = Object.values(paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const links = (path: string) => Object.values(paths[path].post.responses['201'].links ?? {}).map((l) => [l.operationId, l.parameters]);
    expect(links('/cluster/nodes')).toEqual(
      expect.arrayContaining([
        ['getClusterNodesById', { id: '$response.body#/id' }],
        ['putClusterNodesById', { id: '$response.body#/id' }],
        ['deleteClusterNodesById', { id: '$response.body#/id' }],
      ]),
    );
    for (const link of Object.values(paths).flatMap((ops) => Object.values(ops).flatMap((op) => Object.values(op.responses).flatMap((r) => Object.values(r.links ?? {}))))) expect(ids).toContain(link.operationId);
    expect(links('/cluster/services').map(([id]) => id)).toEqual(expect.arrayContaining(['getClusterServicesByName', 'deleteClusterServicesByName']));
  });

  it('refuses query values its document does not allow (item 22): booleans are true or false, integers are digits', async () => {
    for (const query of ['include_nodes=0', 'include_nodes=1', 'include_nodes=yes', 'include_nodes=']) {
      const answer = await service.call('GET', `/cluster/status?${query}`);
      expect(answer.status, query).toBe(422);
      expect(answer.body.details, query).toEqual([{ field: 'include_nodes', message: 'must be true or false' }]);
    }
    expect((await service.call('GET', '/cluster/status?include_nodes=TRUE')).status).toBe(200);
    for (const query of ['after_seq=', 'after_seq=-1', 'after_seq=1.5', 'limit=0', 'limit=5001']) expect((await service.call('GET', `/cluster/events?${query}`)).status, query).toBe(422);
    expect((await service.call('GET', '/cluster/events?after_seq=0&limit=5')).status).toBe(200);
    expect((await service.call('GET', '/cluster/audit?limit=')).status).toBe(422);
  });

  it('accepts an email address exactly when format: email does (ajv-formats), so nothing is stored that its own document rejects', async () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const emails = collect(doc, 'format').filter(([, f]) => f === 'email');
    expect(emails.length).toBeGreaterThanOrEqual(2); // from and to[]
    const samples = ['oncall@example.com', 'Oncall.Team+x@Sub.Example.CO', 'a@b-.com', 'a@-b.com', 'a@localhost', 'a..b@example.com', 'a@b.c-'];
    for (const [, , schema] of emails) {
      const check = ajv.compile({ ...schema, $schema: undefined });
      for (const sample of samples) {
        const zod = AlertChannelSchema.safeParse({ id: 'm', type: 'email', host: 'smtp.example.com', from: sample, to: [sample] }).success;
        expect({ sample, accepted: zod }).toEqual({ sample, accepted: check(sample) });
      }
    }
    const refused = await service.call('PUT', '/cluster/alerts', { body: { channels: [{ id: 'm', type: 'email', host: 'smtp.example.com', from: 'mco@example.com', to: ['a@b-.com'] }] } });
    expect(refused.status).toBe(422);
    expect(refused.body.details).toEqual([{ field: 'channels.0.to.0', message: 'must be an email address', code: 'format_email' }]);
  });

  it('says what the service enforces: tail is an integer, timeout_s ≤ interval_s, import checks each node itself, an unusable key is the node\'s 409 (finding 18)', async () => {
    type Op = { parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }>; requestBody?: { content: Record<string, { schema: Record<string, any> }> }; responses: Record<string, unknown> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON document
    const paths = (doc as { paths: Record<string, Record<string, Op>> }).paths;
    const tail = paths['/cluster/nodes/{id}/containers/{cid}/logs'].get.parameters!.find((p) => p.name === 'tail')!.schema;
    expect(tail).toMatchObject({ type: 'integer', minimum: 1, maximum: 10_000 });

    const settings = paths['/cluster/settings'].put.requestBody!.content['application/json'].schema;
    expect(settings.properties.timeout_s.description).toMatch(/not be longer than interval_s/);
    const tooLong = await service.call('PUT', '/cluster/settings', { body: { interval_s: 10, timeout_s: 20 } });
    expect(tooLong).toMatchObject({ status: 422, body: { details: [{ field: 'timeout_s' }] } });

    const node = paths['/cluster/import'].post.requestBody!.content['application/json'].schema.properties.nodes.additionalProperties;
    expect(node.required).toBeUndefined();
    expect(node.additionalProperties).toBeUndefined();
    expect(node.description).toMatch(/reported in `invalid`/);
    const imported = await service.call('POST', '/cluster/import?dry_run=true', { body: { nodes: { x: { hostname: 'x', tailscale_ip: '127.68.3.2', role: 'worker', extra: 1 } } } });
    expect(imported).toMatchObject({ status: 200, body: { invalid: [{ id: 'x', field: 'extra' }] } });

    expect(Object.keys(paths['/cluster/nodes/{id}/metrics'].get.responses)).toContain('409');
    await service.call('POST', '/cluster/nodes', { body: { id: 'k-1', hostname: 'k-1', tailscale_ip: '127.68.3.3', role: 'worker', cpu_cores: 1, memory_gb: 1, ssh: { key_path: '/nonexistent/key' } } });
    const metrics = await service.call('GET', '/cluster/nodes/k-1/metrics');
    expect(metrics).toMatchObject({ status: 409, body: { error: 'conflict', details: [{ field: 'ssh.key_path', message: expect.stringContaining('of node k-1') }] } });
  });
});
