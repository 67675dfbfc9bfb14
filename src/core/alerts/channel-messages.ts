import { NTFY_PRIORITIES, type AlertChannel, type AlertPayload } from '../../shared/schemas/alerts';
import { clusterLine, isGoodNews } from './alert-payload';

export interface HttpMessage {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface MailMessage {
  subject: string;
  text: string;
}

const json = (url: string, body: unknown): HttpMessage => ({ url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
// HTTP header values must be Latin-1; ntfy decodes RFC 2047 encoded words.
const headerText = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`);

// Node data (hostnames, also from a Tailscale import) is text, never markup: `<!channel>` would ping a
// whole Slack channel and `[Click](https://…)` would put a link in a Discord embed.
/** Slack mrkdwn: &, < and > are its control characters (api.slack.com, "Escaping text"). */
export const slackText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Discord Markdown: a backslash before what formats, links or mentions, and before a line's heading or list mark. */
export const discordText = (text: string): string => text.replace(/[\\`*_~|[\]()<>@]/g, (c) => `\\${c}`).replace(/^([#-])/gm, '\\$1');

const NTFY_TAGS: Record<AlertPayload['event'], string> = {
  node_down: 'rotating_light',
  node_recovered: 'white_check_mark',
  monitor_offline: 'warning',
  monitor_online: 'white_check_mark',
  host_key_changed: 'key',
  failover: 'twisted_rightwards_arrows',
  service_pending: 'hourglass',
  service_placed: 'white_check_mark',
  service_rolled_back: 'leftwards_arrow_with_hook',
  test: 'test_tube',
};

/** ntfy: the text is the body; title, priority and tags are headers. Good news is never louder than "default". */
function ntfy(channel: Extract<AlertChannel, { type: 'ntfy' }>, p: AlertPayload): HttpMessage {
  const rank = Math.min(NTFY_PRIORITIES.indexOf(channel.priority), isGoodNews(p.event) ? NTFY_PRIORITIES.indexOf('default') : Infinity);
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    title: headerText(cut(p.title, 200)),
    priority: NTFY_PRIORITIES[rank],
    tags: [NTFY_TAGS[p.event], ...channel.tags].join(','),
  };
  if (channel.token) headers.authorization = `Bearer ${channel.token}`;
  return { url: channel.url, headers, body: cut(`${p.message}\n${clusterLine(p)}`, 4000) };
}

/** Slack incoming webhook: `text` for notifications, blocks for the message. */
function slack(url: string, p: AlertPayload): HttpMessage {
  return json(url, {
    text: cut(slackText(`${p.title}: ${p.message}`), 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(p.title, 150) } }, // plain_text: never parsed
      { type: 'section', text: { type: 'mrkdwn', text: cut(slackText(p.message), 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: slackText(`${clusterLine(p)} · ${p.at}`) }] },
    ],
  });
}

/** Discord webhook: one embed, coloured by good or bad news, limits as Discord documents them. */
function discord(url: string, p: AlertPayload): HttpMessage {
  return json(url, {
    username: 'MCP Cloud Orchestrator',
    allowed_mentions: { parse: [] }, // no @everyone, role or user ping, whatever the text says
    embeds: [
      {
        title: cut(discordText(p.title), 256),
        description: cut(discordText(p.message), 4096),
        color: isGoodNews(p.event) ? 0x2e7d32 : 0xc62828,
        timestamp: p.at,
        footer: { text: cut(clusterLine(p), 2048) },
      },
    ],
  });
}

export function httpMessage(channel: Exclude<AlertChannel, { type: 'email' | 'alertmanager' }>, payload: AlertPayload): HttpMessage {
  switch (channel.type) {
    case 'webhook':
      return json(channel.url, payload);
    case 'ntfy':
      return ntfy(channel, payload);
    case 'slack':
      return slack(channel.url, payload);
    case 'discord':
      return discord(channel.url, payload);
  }
}

export function mailMessage(payload: AlertPayload): MailMessage {
  return {
    subject: `[MCP Cloud Orchestrator] ${payload.title}`,
    text: `${payload.message}\n\n${clusterLine(payload)}\nEvent: ${payload.event} at ${payload.at}\n`,
  };
}
