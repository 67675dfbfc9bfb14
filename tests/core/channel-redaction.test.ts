import { describe, expect, it } from 'vitest';
import { redactChannel, redactUrl, restoreSecrets, scrubSecrets } from '../../src/core/util/redaction';
import type { AlertChannel } from '../../src/shared/schemas/alerts';

// Issue 32, finding 7: one redaction rule per channel type, tested on every shape of URL the review
// found leaking (and the ones that always worked).
const CASES: Array<[AlertChannel['type'], string, string, string[]]> = [
  // type, stored URL, as shown, secrets that must not appear
  ['ntfy', 'https://ntfy.sh/mytopic7f3a', 'https://ntfy.sh/***', ['mytopic7f3a']],
  ['ntfy', 'https://ntfy.sh/mytopic7f3a/', 'https://ntfy.sh/***/', ['mytopic7f3a']],
  ['ntfy', 'https://ntfy.sh/mytopic7f3a/send', 'https://ntfy.sh/***/***', ['mytopic7f3a']],
  ['ntfy', 'https://push.example.com/ntfy/alerts', 'https://push.example.com/***/***', ['alerts']],
  ['ntfy', 'https://ntfy.sh/mytopic7f3a?SECRETKEY', 'https://ntfy.sh/***?***', ['mytopic7f3a', 'SECRETKEY']],
  ['webhook', 'https://example.com/hooks/abc123def456', 'https://example.com/hooks/***', ['abc123def456']],
  ['webhook', 'https://example.com/hook?SECRETKEY', 'https://example.com/hook?***', ['SECRETKEY']],
  ['webhook', 'https://example.com/hook?token=s3cr3t&x', 'https://example.com/hook?token=***&***', ['s3cr3t']],
  ['webhook', 'https://user:pa55@example.com/hook', 'https://***@example.com/hook', ['pa55', 'user:']],
  ['webhook', 'https://eo1a2b3c4d5e6f7.m.pipedream.net/', 'https://***.m.pipedream.net/', ['eo1a2b3c4d5e6f7']],
  ['webhook', 'https://x7f3k2a9.ngrok.io/alerts', 'https://***.ngrok.io/alerts', ['x7f3k2a9']],
  ['webhook', 'http://127.0.0.1:8080/hook', 'http://127.0.0.1:8080/hook', []],
  ['webhook', 'http://[fd7a:115c::5]:8080/hook', 'http://[fd7a:115c::5]:8080/hook', []],
  ['webhook', 'https://alerts.internal.example.com/api/hooks', 'https://alerts.internal.example.com/api/hooks', []],
  ['slack', 'https://hooks.slack.com/services/T0001/B0002/slacksecret123', 'https://hooks.slack.com/services/***/***/***', ['slacksecret123', 'T0001', 'B0002']],
  ['discord', 'https://discord.com/api/webhooks/123456789/discordsecret', 'https://discord.com/api/webhooks/***/***', ['123456789', 'discordsecret']],
];

describe('alert channel URLs as every face shows them', () => {
  it.each(CASES)('%s %s → %s', (type, url, shown, secrets) => {
    expect(redactUrl(url, type)).toBe(shown);
    const channel = { id: 'c', type, url, enabled: true, events: [] } as unknown as AlertChannel;
    expect((redactChannel(channel) as { url: string }).url).toBe(shown);
    const error = `connect ECONNREFUSED while posting to ${url} (${secrets.join(', ')})`;
    const scrubbed = scrubSecrets(error, channel);
    for (const secret of secrets) expect(scrubbed).not.toContain(secret);
  });
});

// Issue 39, finding 3: an Alertmanager channel has urls, one per peer; each is redacted like a URL.
describe('Alertmanager peer URLs', () => {
  const stored = { id: 'am', type: 'alertmanager', urls: ['http://pager:pa%40ss@am-1.example.com:9093/?token=t0k3n', 'http://127.0.0.1:9093'], resend_interval_s: 60, silence_on_mute: false, enabled: true } as AlertChannel;

  it('are redacted in the channel and scrubbed from any message, decoded or not', () => {
    expect((redactChannel(stored) as { urls: string[] }).urls).toEqual(['http://***@***.example.com:9093/?token=***', 'http://127.0.0.1:9093']);
    const scrubbed = scrubSecrets(`http://pager:pa%40ss@am-1.example.com:9093/?token=t0k3n: 401 for pager:pa@ss, token t0k3n`, stored);
    for (const secret of ['pa%40ss', 'pa@ss', 't0k3n', 'pager']) expect(scrubbed).not.toContain(secret);
  });

  it('sent back as shown keep the stored URL; a redacted URL that was never shown is refused', () => {
    const shown = redactChannel(stored) as Extract<AlertChannel, { type: 'alertmanager' }>;
    expect((restoreSecrets([shown], [stored])[0] as { urls: string[] }).urls).toEqual(stored.type === 'alertmanager' ? stored.urls : []);
    expect(() => restoreSecrets([{ ...shown, urls: ['http://***@evil.example.com:9093/'] }], [stored])).toThrow(/channels\.0\.urls\.0 contains \*\*\* but is not a stored URL/);
  });
});
