import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service';
import { startHttpSink, startSmtpSink, type HttpSink } from '../helpers/alert-sinks';

// Issue 32, finding 1: a stored secret never follows a channel to a new target. Receivers on 127.68.0.x:
// A is the operator's, B the attacker's.
const NTFY_TOKEN = 'tk_operator_token_4711';
const SMTP = { user: 'alerts', pass: 'smtp-operator-pass-4711' };

describe('a redacted secret sent back with a new target (PUT /cluster/alerts)', () => {
  let service: Awaited<ReturnType<typeof startTestService>>;
  let ntfyA: HttpSink;
  let ntfyB: HttpSink;
  let smtpA: Awaited<ReturnType<typeof startSmtpSink>>;
  let smtpB: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    [ntfyA, ntfyB] = await Promise.all([startHttpSink('127.68.0.1'), startHttpSink('127.68.0.2')]);
    [smtpA, smtpB] = await Promise.all([startSmtpSink('127.68.0.3', SMTP), startSmtpSink('127.68.0.4', SMTP)]);
    service = await startTestService({ HOST: '127.68.0.9' });
    const put = await service.call('PUT', '/cluster/alerts', {
      body: {
        channels: [
          { id: 'phone', type: 'ntfy', url: `${ntfyA.base}/ops-topic`, token: NTFY_TOKEN },
          { id: 'mail', type: 'email', host: smtpA.host, port: smtpA.port, secure: false, allow_plain_auth: true, username: SMTP.user, password: SMTP.pass, from: 'mco@example.test', to: ['oncall@example.test'] },
        ],
      },
    });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await service?.close();
    await Promise.all([ntfyA?.close(), ntfyB?.close(), smtpA?.close(), smtpB?.close()]);
  });

  const shown = async () => (await service.call('GET', '/cluster/alerts')).body.channels.map((c: { channel: Record<string, unknown> }) => c.channel) as Array<Record<string, unknown>>;

  it('answers 422 naming the field for a new host, port, scheme or topic, stores nothing, and sends the secret nowhere', async () => {
    const [phone, mail] = await shown();
    expect(phone).toMatchObject({ token: '***' });
    expect(mail).toMatchObject({ password: '***' });
    const attempts: Array<[string, Record<string, unknown>, string]> = [
      ['host', { ...phone, url: `${ntfyB.base}/ops-topic` }, 'channels.0.token'],
      ['topic', { ...phone, url: `${ntfyA.base}/other-topic` }, 'channels.0.token'],
      ['scheme', { ...phone, url: `${ntfyA.base.replace('http:', 'https:')}/ops-topic` }, 'channels.0.token'],
      ['SMTP host', { ...mail, host: smtpB.host, port: smtpB.port }, 'channels.0.password'],
      ['SMTP TLS', { ...mail, secure: true }, 'channels.0.password'],
    ];
    for (const [what, channel, field] of attempts) {
      const res = await service.call('PUT', '/cluster/alerts', { body: { channels: [channel] } });
      expect(res.status, what).toBe(422);
      expect(res.body.details, what).toEqual([{ field, message: expect.stringContaining("the channel's target changed") }]);
    }
    expect(await shown()).toEqual([phone, mail]); // nothing stored

    const tested = await service.call('POST', '/cluster/alerts/test', { body: {} });
    expect(tested.body).toMatchObject({ results: [{ channel_id: 'phone', ok: true }, { channel_id: 'mail', ok: true }] });
    expect(tested.status).toBe(200);
    expect(ntfyB.attempts).toBe(0);
    expect(smtpB.authAttempts).toEqual([]);
    expect(ntfyA.received.at(-1)!.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
    expect(smtpA.authAttempts.at(-1)).toEqual({ user: SMTP.user, password: SMTP.pass });
  });

  it('keeps the stored secret while the target stays (other fields may change), and takes a new secret with a new target', async () => {
    const [phone, mail] = await shown();
    const same = await service.call('PUT', '/cluster/alerts', { body: { channels: [{ ...phone, priority: 'urgent' }, { ...mail, to: ['lead@example.test'] }] } });
    expect(same.status).toBe(200);
    const moved = await service.call('PUT', '/cluster/alerts', { body: { channels: [{ ...phone, url: `${ntfyB.base}/ops-topic`, token: 'tk_new_token_for_b' }, mail] } });
    expect(moved.status).toBe(200);
    expect((await service.call('POST', '/cluster/alerts/test', { body: {} })).status).toBe(200);
    expect(ntfyB.received.at(-1)!.headers.authorization).toBe('Bearer tk_new_token_for_b');
    expect(JSON.stringify(ntfyB.received)).not.toContain(NTFY_TOKEN);
    expect(smtpA.authAttempts.at(-1)).toEqual({ user: SMTP.user, password: SMTP.pass });
  });

  it('each change is in the event log and the audit log: who, which channel, which fields, never a secret (finding 12)', async () => {
    const events = (await service.call('GET', '/cluster/events?limit=100')).body.events as Array<{ kind: string; reason: string }>;
    const changes = events.filter((e) => e.kind === 'alert_channels_changed').map((e) => e.reason);
    expect(changes).toEqual([
      'rest:admin token changed alert channels: added phone (ntfy); added mail (email)',
      'rest:admin token changed alert channels: changed phone: priority; changed mail: to',
      'rest:admin token changed alert channels: changed phone: priority, token, url; changed mail: to', // sent from the view read before the last change
    ]); // the refused attempts changed nothing and left no entry
    const audit = (await service.call('GET', '/cluster/audit')).body.entries as Array<{ actor: string; action: string; detail: string }>;
    expect(audit.filter((e) => e.action === 'update_alert_channels').map((e) => [e.actor, e.detail])).toEqual([
      ['rest:admin token', 'added phone (ntfy); added mail (email)'],
      ['rest:admin token', 'changed phone: priority; changed mail: to'],
      ['rest:admin token', 'changed phone: priority, token, url; changed mail: to'],
    ]);
    const logged = JSON.stringify(events) + JSON.stringify(audit);
    for (const secret of [NTFY_TOKEN, SMTP.pass, 'tk_new_token_for_b', 'ops-topic']) expect(logged).not.toContain(secret);
  });

  it('an SMTP password is never sent in clear text: a server without STARTTLS fails the delivery unless plain text is allowed (finding 13)', async () => {
    const before = smtpB.authAttempts.length;
    const mail = { id: 'plain', type: 'email', host: smtpB.host, port: smtpB.port, username: SMTP.user, password: SMTP.pass, from: 'mco@example.test', to: ['oncall@example.test'] };
    const [phone, stored] = await shown();
    expect((await service.call('PUT', '/cluster/alerts', { body: { channels: [phone, stored, mail] } })).status).toBe(200);
    const refused = await service.call('POST', '/cluster/alerts/test', { body: { channel_id: 'plain' } });
    expect(refused.body.results[0]).toMatchObject({ ok: false, error: expect.stringContaining('offers no STARTTLS, so the password was not sent') });
    expect(smtpB.authAttempts.length).toBe(before);
    expect(smtpB.mails).toHaveLength(0);
  }, 60_000);
});
