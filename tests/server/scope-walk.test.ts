import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES, scopeAllows, type TokenScope } from '../../src/shared/schemas/auth';
import { nodeInput } from '../helpers/nodes';
import { startTestService } from '../helpers/service';

// Issue 39, finding 7: every route × method × scope, walked from the OpenAPI document, HEAD derived
// from every GET. A call below its scope is refused before it runs; one at or above it is not refused
// for its scope. Only reads run allowed (a write below its scope is refused, so nothing changes).
// The service on 127.92.0.1; the node on 127.92.0.11 (nothing listens).
describe('the scope table, walked', () => {
  let service: Awaited<ReturnType<typeof startTestService>>;
  const tokens = {} as Record<TokenScope, string>;

  beforeAll(async () => {
    service = await startTestService({ HOST: '127.92.0.1' });
    service.core.registry.create(nodeInput('w-1', { tailscale_ip: '127.92.0.11' }));
    for (const scope of ['viewer', 'operator'] as const) tokens[scope] = (await service.call('POST', '/cluster/tokens', { body: { name: scope, scope } })).body.token;
    tokens.admin = (await service.call('POST', '/cluster/tokens', { body: { name: 'second admin', scope: 'admin' } })).body.token;
  });
  afterAll(async () => service?.close());

  it('refuses every call below its scope, HEAD as GET, and lets reads at their scope through', async () => {
    const paths = (await service.call('GET', '/openapi.json', { token: null })).body.paths as Record<string, Record<string, { 'x-required-scope'?: TokenScope }>>;
    const walked: string[] = [];
    for (const [path, operations] of Object.entries(paths)) {
      // {id} in the document is :id in the scope table; here a real node, a container, an action.
      const url = path.replace('{id}', 'w-1').replace(/\{[^}]+\}/g, 'x');
      for (const [method, operation] of Object.entries(operations)) {
        const needs = operation['x-required-scope'];
        if (!needs) continue; // open routes (/health, the document)
        for (const verb of method === 'get' ? ['GET', 'HEAD'] : [method.toUpperCase()]) {
          for (const scope of TOKEN_SCOPES) {
            const allowed = scopeAllows(scope, needs);
            if (allowed && verb !== 'GET' && verb !== 'HEAD') continue;
            const answer = await service.call(verb, url, { token: tokens[scope], ...(verb === 'GET' || verb === 'HEAD' || verb === 'DELETE' ? {} : { body: {} }) });
            walked.push(`${verb} ${path} ${scope}`);
            if (allowed) expect(answer.status, `${verb} ${url} as ${scope}`).not.toBe(403);
            else expect(answer.status, `${verb} ${url} as ${scope} (needs ${needs})`).toBe(403);
          }
        }
      }
    }
    expect(walked).toContain('HEAD /cluster/nodes/{id}/health viewer');
    expect(walked.length).toBeGreaterThan(100);
  }, 120_000);
});
