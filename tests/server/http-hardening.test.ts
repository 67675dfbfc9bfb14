import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { rawHttp } from '../helpers/raw-http';
import { nodeInput } from '../helpers/nodes';

// Requests that used to escape the shared error shape or the Host/Origin guard.
let service: Awaited<ReturnType<typeof startTestService>>;
let host: string;
beforeAll(async () => {
  service = await startTestService({ HOST: '127.54.0.2' });
  host = new URL(service.url).host;
});
afterAll(() => service.close());

const sharedShape = (body: unknown) => expect(body).toMatchObject({ error: expect.any(String), message: expect.any(String), details: expect.any(Array) });
const raw = (lines: string[], body = '') => rawHttp(service.url, `${lines.join('\r\n')}\r\n\r\n${body}`);

describe('HTTP edges answer in the shared shape', () => {
  it('answers an unsupported media type with 415', async () => {
    const res = await service.call('POST', '/cluster/nodes', { raw: 'id=x', headers: { 'content-type': 'text/plain' } });
    expect(res).toMatchObject({ status: 415, body: { error: 'unsupported_media_type', details: [{ field: 'Content-Type' }] } });
    const form = await service.call('POST', '/cluster/nodes', { raw: 'id=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });

  it('sends WWW-Authenticate: Bearer with a 401 and matches the scheme in any case', async () => {
    const missing = await service.call('GET', '/cluster/status', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer\b/);
    const wrong = await service.call('GET', '/cluster/status', { token: 'not-the-token-at-all' });
    expect(wrong.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      expect((await service.call('GET', '/cluster/status', { token: null, headers: { authorization: `${scheme} ${TEST_TOKEN}` } })).status).toBe(200);
    }
  });

  it('lets the router and the schema agree on id length: 404 up to 200 characters, 422 beyond', async () => {
    const long = await service.call('GET', `/cluster/nodes/${'a'.repeat(150)}`);
    expect(long).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await service.call('DELETE', `/cluster/nodes/${'a'.repeat(200)}`)).status).toBe(404);
    for (const method of ['DELETE', 'PUT']) {
      const tooLong = await service.call(method, `/cluster/nodes/${'a'.repeat(201)}`, { body: {} });
      expect(tooLong, method).toMatchObject({ status: 422, body: { error: 'validation_error', details: [{ field: 'path' }] } });
    }
    // GET falls through to the web UI's static files, which know no such file.
    const get = await service.call('GET', `/cluster/nodes/${'a'.repeat(500)}`);
    expect(get.status).toBe(404);
    sharedShape(get.body);
  });

  it('answers Content-Length with Transfer-Encoding with a 400 in the shared shape', async () => {
    const res = await raw([`POST /cluster/nodes HTTP/1.1`, `Host: ${host}`, `Authorization: Bearer ${TEST_TOKEN}`, 'Content-Type: application/json', 'Content-Length: 2', 'Transfer-Encoding: chunked'], '2\r\n{}\r\n0\r\n\r\n');
    expect(res.status).toBe(400);
    sharedShape(JSON.parse(res.body));
  });

  it('names a __proto__ key instead of calling valid JSON malformed', async () => {
    const res = await service.call('POST', '/cluster/nodes', { raw: JSON.stringify(nodeInput('proto-1')).replace('{', '{"__proto__":{"x":1},') });
    expect(res).toMatchObject({ status: 422, body: { error: 'validation_error', details: [{ field: '__proto__', message: 'is a forbidden key' }] } });
    expect(res.body.message).not.toMatch(/Malformed/);
  });

  it('refuses static paths with .. with a 4xx in the shared shape, never a 500', async () => {
    for (const target of ['/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/../etc/passwd', '/assets/..%2f..%2fpackage.json']) {
      const res = await raw([`GET ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close']);
      expect(res.status, target).toBeGreaterThanOrEqual(400);
      expect(res.status, target).toBeLessThan(500);
      sharedShape(JSON.parse(res.body));
    }
  });

  it('refuses bodies nested absurdly deep before any schema walks them', async () => {
    const deep = await service.call('POST', '/cluster/import', { raw: `{"nodes":${'['.repeat(20_000)}${']'.repeat(20_000)}}` });
    // 422 with the field, as README and SECURITY.md say (it was 400; issue 32, finding 18).
    expect(deep).toMatchObject({ status: 422, body: { error: 'validation_error', details: [{ field: 'body', message: 'must not nest deeper than 32 levels' }] } });
    expect((await service.call('GET', '/health')).status).toBe(200);
  });

  it('refuses a body that is not valid UTF-8, naming the problem', async () => {
    const node = Buffer.from(JSON.stringify(nodeInput('utf8-1', { description: 'XX' })));
    const at = node.indexOf('XX');
    node[at] = 0xff;
    node[at + 1] = 0xfe;
    const res = await rawHttp(service.url, Buffer.concat([Buffer.from([`POST /cluster/nodes HTTP/1.1`, `Host: ${host}`, `Authorization: Bearer ${TEST_TOKEN}`, 'Content-Type: application/json', `Content-Length: ${node.length}`, 'Connection: close', '', ''].join('\r\n')), node]));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'bad_request', details: [{ field: 'body', message: 'must be UTF-8 encoded' }] });
    expect((await service.call('GET', '/cluster/nodes/utf8-1')).status).toBe(404);
  });
});

describe('text rules reach REST', () => {
  it('refuses bidi or zero-width characters in hostname and escapes in description, naming the field', async () => {
    const bidi = await service.call('POST', '/cluster/nodes', { body: nodeInput('txt-1', { hostname: 'evil\u202egro.com' }) });
    expect(bidi).toMatchObject({ status: 422, body: { details: [{ field: 'hostname', message: expect.stringMatching(/bidi/) }] } });
    expect((await service.call('GET', '/cluster/nodes/txt-1')).status).toBe(404);
    const ansi = await service.call('PUT', '/cluster/nodes/txt-1', { body: { description: '\u001b[2J' } });
    expect(ansi).toMatchObject({ status: 422, body: { details: [{ field: 'description' }] } });
    const escape = await service.call('POST', '/cluster/nodes', { body: nodeInput('txt-2', { description: 'ok\u0000\u001b[31m' }) });
    expect(escape).toMatchObject({ status: 422, body: { details: [{ field: 'description' }] } });
  });
});

describe('the Host/Origin guard cannot be routed around', () => {
  it('refuses a duplicate Host header', async () => {
    const res = await raw([`GET /cluster/status HTTP/1.1`, `Host: ${host}`, 'Host: evil.example', `Authorization: Bearer ${TEST_TOKEN}`, 'Connection: close']);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ details: [{ field: 'Host' }] });
  });

  it('refuses an absolute-form request target', async () => {
    const res = await raw([`GET http://evil.example/cluster/status HTTP/1.1`, `Host: ${host}`, `Authorization: Bearer ${TEST_TOKEN}`, 'Connection: close']);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ details: [{ field: 'url' }] });
  });

  it("checks Origin's scheme and user info, not only its host", async () => {
    for (const origin of [`https://${host}`, `ftp://${host}`, `http://user:pw@${host}`, `http://user@${host}`]) {
      const res = await service.call('GET', '/cluster/status', { headers: { origin } });
      expect(res, origin).toMatchObject({ status: 403, body: { details: [{ field: 'Origin' }] } });
    }
    expect((await service.call('GET', '/cluster/status', { headers: { origin: `http://${host}` } })).status).toBe(200);
  });
});

describe('DEBUG request logs', () => {
  it('redact token parameters however the name is spelled', async () => {
    const { spawnService } = await import('../helpers/service-process');
    const { tempDir } = await import('../helpers/temp-dir');
    const { caller } = await import('../helpers/service');
    const debug = await spawnService({ dataDir: tempDir(), token: TEST_TOKEN, host: '127.54.0.3', args: ['--debug'] });
    try {
      const call = caller(debug.url);
      const secrets = ['s3cret-a', 's3cret-b', 's3cret-c', 's3cret-d', 's3cret-e'];
      const queries = [`token=${secrets[0]}`, `%74oken=${secrets[1]}`, `a=1;token=${secrets[2]}`, `TOKEN=${secrets[3]}`, `x=1&%54%4fKEN=${secrets[4]}`];
      for (const query of queries) await call('GET', `/health?${query}`, { token: null });
      await expect.poll(() => (debug.output().match(/\/health\?/g) ?? []).length).toBeGreaterThanOrEqual(queries.length);
      for (const secret of secrets) expect(debug.output()).not.toContain(secret);
      expect(debug.output()).toContain('[redacted]');
    } finally {
      const exited = new Promise((r) => (debug.child.exitCode !== null ? r(null) : debug.child.once('exit', r)));
      debug.child.kill('SIGTERM');
      await exited;
    }
  });
});
