import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAlertPayload } from '../../src/core/alerts/alert-payload';
import { discordText, httpMessage, slackText } from '../../src/core/alerts/channel-messages';
import { computeClusterStatus } from '../../src/core/monitor/cluster-status';
import { NodeSchema } from '../../src/shared/schemas/node';

// Issue 32, finding 3: node data reaches chat as text, never as markup.
// Hostnames have no spaces (the schema refuses them), which is no obstacle to markup.
const HOSTILE = '<!channel><https://evil.example/x|Click_to_acknowledge>[Click](https://evil.example/y)@everyone**urgent**';

function hostilePayload() {
  const node = NodeSchema.parse({ id: 'n-1', hostname: HOSTILE, tailscale_ip: '127.0.0.1', role: 'worker', cpu_cores: 1, memory_gb: 1 });
  const status = computeClusterStatus([node], () => 'unhealthy', { offline: false, paused: false, paused_until: null, in_grace: false }, null);
  return buildAlertPayload({ event: 'node_down', title: 'n-1 is down', body: '', nodeId: 'n-1', nodes: [{ id: 'n-1', reason: 'refused & <b>gone</b>' }] }, () => node, status);
}

describe('chat markup from node data', () => {
  it('Slack: no @channel ping and no link, in the notification text and in every mrkdwn block', () => {
    const body = JSON.parse(httpMessage({ id: 's', type: 'slack', url: 'http://127.0.0.1:1/services/a/b/c', enabled: true, events: [] } as never, hostilePayload()).body);
    const mrkdwn = [body.text, body.blocks[1].text.text, body.blocks[2].elements[0].text].join('\n');
    expect(mrkdwn).not.toMatch(/[<>]/);
    expect(body.blocks[1].text.text).toContain('&lt;!channel&gt;&lt;https://evil.example/x|Click_to_acknowledge&gt;');
    expect(body.blocks[1].text.text).toContain('refused &amp; &lt;b&gt;gone&lt;/b&gt;');
  });

  it('Discord: no Markdown link or formatting, and no mention is allowed to ping', () => {
    const body = JSON.parse(httpMessage({ id: 'd', type: 'discord', url: 'http://127.0.0.1:1/api/webhooks/1/t', enabled: true, events: [] } as never, hostilePayload()).body);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const description: string = body.embeds[0].description;
    expect(description).toContain('\\[Click\\]\\(https://evil.example/y\\)');
    expect(description).toContain('\\@everyone\\*\\*urgent\\*\\*');
    expect(body.embeds[0].title).toBe('n-1 is down');
  });

  it('escapes every string so that it reads back unchanged and leaves no control character bare', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), (text) => {
        const slack = slackText(text);
        expect(slack).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
        expect(slack.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(text);
        const discord = discordText(text);
        expect(discord.replace(/\\(.)/gs, '$1')).toBe(text);
        const bare = discord.replace(/\\./gs, ''); // what is left after each escaped pair
        expect(bare).not.toMatch(/[\\`*_~|[\]()<>@]/);
      }),
      { numRuns: 500 },
    );
  });
});
