import { describe, expect, it } from 'vitest';
import { AlertDelivery, type DeliveryOutcome } from '../../src/core/alerts/alert-delivery';
import type { AlertChannel, AlertPayload } from '../../src/shared/schemas/alerts';

// The queue and retry rules, with a sender in the test's hands (receivers on loopback: alert-channels.test.ts).
const channel: AlertChannel = { id: 'c', type: 'webhook', url: 'http://127.57.105.1:9/hook/secret123', enabled: true };
const payload = (title: string): AlertPayload => ({ event: 'node_down', title, message: '', nodes: [], service: null, cluster: { state: 'degraded', healthy_nodes: 1, total_nodes: 2 }, at: new Date().toISOString() });

describe('AlertDelivery', () => {
  it('retries after base, 3× base, 9× base, then reports the failure with the secret scrubbed', async () => {
    const times: number[] = [];
    const outcomes: DeliveryOutcome[] = [];
    const delivery = new AlertDelivery(
      async () => {
        times.push(performance.now());
        throw new Error('connect ECONNREFUSED http://127.57.105.1:9/hook/secret123');
      },
      { attempts: 4, baseDelayMs: 20, timeoutMs: 100, maxQueue: 10 },
      (_c, outcome) => outcomes.push(outcome),
    );
    const result = await delivery.deliver(channel, payload('a'));
    expect(result).toEqual({ channel_id: 'c', ok: false, attempts: 4, error: 'connect ECONNREFUSED http://127.57.105.1:9/hook/***' });
    expect(outcomes).toEqual(['retried', 'retried', 'retried', 'failed']);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    [20, 60, 180].forEach((wait, i) => expect(gaps[i]).toBeGreaterThanOrEqual(wait - 2));
    expect(delivery.state('c')).toMatchObject({ status: 'failing', sent: 0, failed: 1, retries: 3, pending: 0, consecutive_failures: 1, last_failure: { attempts: 4, event: 'node_down' } });
  });

  it('sends one message at a time in order, and a full queue drops the oldest waiting one, not the one in flight', async () => {
    const sent: string[] = [];
    let release: () => void = () => {};
    const outcomes: Array<[DeliveryOutcome, string]> = [];
    const delivery = new AlertDelivery(
      (_c, p) => new Promise<void>((resolve) => (release = () => (sent.push(p.title), resolve()))),
      { attempts: 1, baseDelayMs: 1, timeoutMs: 100, maxQueue: 3 },
      (_c, outcome, p) => outcomes.push([outcome, p.title]),
    );
    const results = ['first', 'second', 'third', 'fourth'].map((t) => delivery.deliver(channel, payload(t)));
    expect(outcomes).toEqual([['dropped', 'second']]);
    expect(delivery.state('c').pending).toBe(3);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 5));
      release();
    }
    const settled = await Promise.all(results);
    expect(sent).toEqual(['first', 'third', 'fourth']);
    expect(settled.map((r) => r.ok)).toEqual([true, false, true, true]);
    expect(delivery.state('c')).toMatchObject({ status: 'ok', sent: 3, failed: 1, pending: 0 });
  });

  it('close() ends waiting messages as failed instead of leaving them pending', async () => {
    const delivery = new AlertDelivery(() => Promise.reject(new Error('down')), { attempts: 5, baseDelayMs: 60_000, timeoutMs: 100, maxQueue: 10 }, () => {});
    const pending = delivery.deliver(channel, payload('x'));
    await new Promise((r) => setTimeout(r, 10));
    delivery.close();
    expect(await pending).toMatchObject({ ok: false, error: 'alert delivery stopped before this message was sent' });
    expect(await delivery.deliver(channel, payload('y'))).toMatchObject({ ok: false, error: 'alert delivery is stopped' });
  });

  it('a test alert never displaces a real one: a full queue drops a waiting test first, or refuses the new test (issue 32, finding 10)', async () => {
    let release: () => void = () => {};
    const outcomes: Array<[DeliveryOutcome, string]> = [];
    const delivery = new AlertDelivery(
      () => new Promise<void>((resolve) => (release = resolve)),
      { attempts: 1, baseDelayMs: 1, timeoutMs: 100, maxQueue: 3 },
      (_c, outcome, p) => outcomes.push([outcome, p.title]),
    );
    const test = (title: string): AlertPayload => ({ ...payload(title), event: 'test' });
    const all = [delivery.deliver(channel, payload('real-1')), delivery.deliver(channel, test('test-1')), delivery.deliver(channel, test('test-2'))];
    all.push(delivery.deliver(channel, payload('real-2'))); // full: the oldest waiting test goes
    all.push(delivery.deliver(channel, payload('real-3'))); // again
    expect(outcomes).toEqual([['dropped', 'test-1'], ['dropped', 'test-2']]);
    all.push(delivery.deliver(channel, test('test-3'))); // full of real alerts: the new test goes
    all.push(delivery.deliver(channel, payload('real-4'))); // none waiting is a test: the oldest real one goes
    expect(outcomes.slice(2)).toEqual([['dropped', 'test-3'], ['dropped', 'real-2']]);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 5));
      release();
    }
    expect((await Promise.all(all)).map((r) => r.ok)).toEqual([true, false, false, false, true, false, true]);
  });
});
