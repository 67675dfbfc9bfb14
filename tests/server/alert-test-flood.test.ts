import { afterAll, describe, expect, it } from 'vitest';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { startHttpSink, type HttpSink } from '../helpers/alert-sinks';
import { TEST_TIMEOUT_MS } from '../../src/core/alerts/alert-delivery';

// Issue 32, finding 10: 100 test alerts at a hanging channel. Receiver on 127.68.2.1, service on 127.68.2.9.
let service: Awaited<ReturnType<typeof startTestService>> | undefined;
let sink: HttpSink | undefined;
afterAll(async () => {
  await service?.close();
  await sink?.close();
});

describe('repeated test alerts', () => {
  it('share the one on its way: 100 requests at a hanging channel queue one message', async () => {
    sink = await startHttpSink('127.68.2.1');
    sink.setMode('hang');
    service = await startTestService({ HOST: '127.68.2.9' });
    expect((await service.call('PUT', '/cluster/alerts', { body: { channels: [{ id: 'slow', type: 'webhook', url: `${sink.base}/hook` }] } })).status).toBe(200);
    const abort = new AbortController();
    const requests = Array.from({ length: 100 }, () =>
      fetch(`${service!.url}/cluster/alerts/test`, { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body: '{"channel_id":"slow"}', signal: abort.signal }).catch(() => null),
    );
    const end = Date.now() + 10_000;
    while (sink.attempts < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300)); // every request has reached the service
    const slow = (await service.call('GET', '/cluster/alerts')).body.channels.find((c: { channel: { id: string } }) => c.channel.id === 'slow');
    expect(slow.delivery.pending).toBe(1);
    expect(sink.attempts).toBe(1);
    abort.abort();
    await Promise.all(requests);
  }, 30_000);

  // Issue 40, item 16: a person pressed "Send test" and waits. Receivers on 127.68.3.x.
  it('is one attempt with a short timeout, and says so: a refused webhook answers at once, a hanging one within the test timeout', async () => {
    const hanging = await startHttpSink('127.68.3.2');
    hanging.setMode('hang');
    const refused = 'http://127.68.3.1:9/hook'; // nothing listens there
    expect((await service!.call('PUT', '/cluster/alerts', { body: { channels: [{ id: 'refused', type: 'webhook', url: refused }, { id: 'hang', type: 'webhook', url: `${hanging.base}/hook` }] } })).status).toBe(200);
    let started = Date.now();
    const first = await service!.call('POST', '/cluster/alerts/test', { body: { channel_id: 'refused' } });
    expect(Date.now() - started).toBeLessThan(2000); // it was 26 s: four attempts with backoff
    expect(first.body.results).toEqual([{ channel_id: 'refused', ok: false, attempts: 1, error: expect.stringMatching(/ECONNREFUSED.*\(a test is sent once, without retries; alerts are tried 4 times\)$/) }]);
    started = Date.now();
    const second = await service!.call('POST', '/cluster/alerts/test', { body: { channel_id: 'hang' } });
    expect(Date.now() - started).toBeLessThan(TEST_TIMEOUT_MS + 2000);
    expect(second.body.results[0]).toMatchObject({ ok: false, attempts: 1 });
    expect(hanging.attempts).toBe(1);
    await hanging.close();
  }, 30_000);
});
