import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttp } from '../helpers/raw-http';
import { startTestService, TEST_TOKEN } from '../helpers/service';

// Issue 32, finding 17: a method a path does not declare is 405 with Allow, for everyone, before the
// token is looked at. Service on 127.68.5.1.
let service: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  service = await startTestService({ HOST: '127.68.5.1' });
});
afterAll(() => service?.close());

const send = (method: string, path: string, token: string | null = null) => {
  const host = new URL(service.url).host;
  const auth = token ? `Authorization: Bearer ${token}\r\n` : '';
  return rawHttp(service.url, `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Length: 0\r\nConnection: close\r\n\r\n`);
};

describe('a method the path does not have', () => {
  it.each([
    ['TRACE', '/health', null, 'GET, HEAD'],
    ['QUERY', '/health', null, 'GET, HEAD'],
    ['DELETE', '/cluster/status', null, 'GET, HEAD'],
    ['PATCH', '/cluster/nodes/n-1', TEST_TOKEN, 'DELETE, GET, HEAD, PUT'],
    ['POST', '/cluster/nodes/n-1/containers/web/logs', TEST_TOKEN, 'GET, HEAD'],
    ['GET', '/cluster/nodes/n-1/containers/web/restart', TEST_TOKEN, 'POST'],
    ['PUT', '/cluster/alerts/test', null, 'POST'],
  ])('%s %s answers 405 with Allow: %s', async (method, path, token, allow) => {
    const answer = await send(method, path, token);
    expect(answer.status).toBe(405);
    expect(answer.headers).toMatch(new RegExp(`^allow: ${allow}$`, 'mi'));
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'method_not_allowed', details: [{ field: 'method' }] });
  });

  it('leaves the rest as it was: unknown paths 404, a bad parameter 422, no token 401, the methods a path has', async () => {
    expect((await send('POST', '/nope', TEST_TOKEN)).status).toBe(404);
    expect((await send('POST', '/cluster/nodes/n-1/containers/web/explode', TEST_TOKEN)).status).toBe(422);
    expect((await send('GET', '/cluster/status')).status).toBe(401);
    expect((await send('HEAD', '/health')).status).toBe(200);
    expect((await send('GET', '/cluster/status', TEST_TOKEN)).status).toBe(200);
  });
});
