import { OrchestratorError } from '../../shared/errors';
import { REDACTED, type AlertChannel } from '../../shared/schemas/alerts';
import type { TokenScope } from '../../shared/schemas/auth';

// Every rule for what a secret looks like and how each face hides it, in one place: names that say
// "secret", credentials and query values in URLs, the alert channels' URLs, and the view each token
// scope gets of any answer, push, event or audit entry (viewForScope).

/** A field or variable whose name says it holds a secret (API_KEY, DB_PASSWORD, ssh.passphrase, token). */
export const SECRET_NAME = /token|passphrase|passw(or)?d|secret|private_?key|api_?key|access_?key|credential|(^|_)auth($|_)/i;

/** `scheme://user:password@host` → `scheme://***@host` anywhere in a text: probe URLs may carry secrets. */
export function redactUrlCredentials(text: string): string {
  // A scheme is at most 32 characters: unbounded, a long run of "a.a.a…" would cost quadratic time.
  return text.replace(/\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^/?#\s@]+@/gi, '$1***@');
}

/** User info and every query value of each URL in a text hidden (a probe URL's `?key=…`), the rest kept. */
export function redactUrlSecrets(text: string): string {
  return redactUrlCredentials(text).replace(/(\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s?#]*\?)([^\s#]*)/gi, (_m, head: string, query: string) =>
    head + query.split(/([&;])/).map((part) => (part === '&' || part === ';' ? part : part.replace(/=.*/s, `=${REDACTED}`))).join(''),
  );
}

/**
 * A request URL fit for a log: the value of any query parameter whose name, once percent-decoded,
 * is "token" (in any case) is replaced. `&` and `;` both separate parameters, and `%74oken=` is caught.
 */
export function redactUrlForLog(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const query = url.slice(queryAt + 1).replace(/([^&;=]*)=([^&;]*)/g, (pair, name: string) => (isTokenName(name) ? `${name}=[redacted]` : pair));
  return `${url.slice(0, queryAt)}?${query}`;
}

function isTokenName(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    /* malformed escapes: judge the raw name */
  }
  return /token/i.test(decoded);
}

// One rule per channel type, for every face (REST, the bridge, MCP) and every error message:
// - Slack (services/T…/B…/secret) and Discord (api/webhooks/id/token) keep only their fixed words;
// - ntfy hides its whole path: the topic is its own password on a public server (whoever knows it
//   reads the alerts), and it may sit under a base path or before a suffix (/topic/send);
// - elsewhere a path segment is shown only when it reads like a word ("api", "hooks").
// Everywhere: user info and query values are hidden, a query key without a value is hidden whole
// (?SECRETKEY), and so is a host label that is not a word (a token as a subdomain:
// <id>.m.pipedream.net); the last two labels, which say where alerts go, and IP addresses stay.
const PLAIN_SEGMENT = /^[a-z][a-z_-]{0,15}$/i;
const FIXED_WORDS = new Set(['services', 'api', 'webhooks']);

function parts(url: string, type: AlertChannel['type']) {
  const u = new URL(url);
  const segments = u.pathname.split('/');
  const shown = (s: string): boolean => {
    if (type === 'slack' || type === 'discord') return FIXED_WORDS.has(s);
    if (type === 'ntfy') return false;
    return PLAIN_SEGMENT.test(s);
  };
  const secretAt = (i: number) => segments[i] !== '' && !shown(segments[i]);
  const isAddress = /^[\d.]+$/.test(u.hostname) || u.hostname.startsWith('[');
  const labels = u.hostname.split('.');
  const labelSecretAt = (i: number) => !isAddress && i < labels.length - 2 && !PLAIN_SEGMENT.test(labels[i]);
  const query = [...u.searchParams.entries()];
  return { u, segments, secretAt, labels, labelSecretAt, query };
}

/** The URL with user info, query values, valueless query keys and secret-looking host labels and path segments replaced by ***. */
export function redactUrl(url: string, type: AlertChannel['type']): string {
  const { u, segments, secretAt, labels, labelSecretAt, query } = parts(url, type);
  const userinfo = u.username || u.password ? `${REDACTED}@` : '';
  const host = labels.map((l, i) => (labelSecretAt(i) ? REDACTED : l)).join('.') + (u.port ? `:${u.port}` : '');
  const path = segments.map((s, i) => (secretAt(i) ? REDACTED : s)).join('/');
  const search = query.map(([k, v]) => (v === '' && !u.search.includes(`${k}=`) ? REDACTED : `${k}=${REDACTED}`)).join('&');
  const shown = `${u.protocol}//${userinfo}${host}${path}${search ? `?${search}` : ''}`;
  return shown.includes(REDACTED) ? shown : url; // nothing hidden: the URL as it was written
}

/** Every URL of a channel: its one URL, or each Alertmanager peer's. */
const urlsOf = (channel: AlertChannel): string[] => ('url' in channel ? [channel.url] : channel.type === 'alertmanager' ? channel.urls : []);

/** Every secret string of a channel, longest first, for scrubbing error messages. */
function secretsOf(channel: AlertChannel): string[] {
  const found: string[] = [];
  for (const url of urlsOf(channel)) {
    const { u, segments, secretAt, labels, labelSecretAt, query } = parts(url, channel.type);
    // User info as written in the URL (percent-encoded) and as a message may quote it (decoded).
    const userinfo = [u.username, u.password].flatMap((v) => [v, safeDecode(v)]);
    found.push(...userinfo, ...query.flatMap(([k, v]) => (v === '' ? [k] : [v, encodeURIComponent(v)])), ...segments.filter((_, i) => secretAt(i)), ...labels.filter((_, i) => labelSecretAt(i)));
  }
  if (channel.type === 'ntfy' && channel.token) found.push(channel.token);
  if (channel.type === 'email' && channel.password) found.push(channel.password);
  return [...new Set(found.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
}

/** Removes a channel's secrets from a text (an error message may quote the URL). */
export function scrubSecrets(text: string, channel: AlertChannel): string {
  const withUrls = urlsOf(channel).reduce((out, url) => out.split(url).join(redactUrl(url, channel.type)), text);
  return secretsOf(channel).reduce((out, secret) => out.split(secret).join(REDACTED), withUrls);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The channel as faces return it: URL redacted, password and token shown as *** when set. */
export function redactChannel(channel: AlertChannel): AlertChannel {
  const out = { ...channel };
  if ('url' in out) out.url = redactUrl(out.url, out.type);
  if (out.type === 'alertmanager') out.urls = out.urls.map((url) => redactUrl(url, 'alertmanager'));
  if (out.type === 'ntfy' && out.token) out.token = REDACTED;
  if (out.type === 'email' && out.password) out.password = REDACTED;
  return out;
}

/**
 * Where a channel's secret goes: scheme, host and port (for ntfy also the path, which holds the
 * topic; for email the TLS choice). A kept secret must keep its target, or a caller could point the stored token at a
 * server of their own.
 */
function target(channel: AlertChannel): string {
  if (channel.type === 'email') return JSON.stringify(['smtp', channel.host.toLowerCase(), channel.port, channel.secure]);
  if (channel.type === 'alertmanager') return JSON.stringify(['alertmanager', ...channel.urls]); // holds no secret of ours
  const u = new URL(channel.url);
  // An ntfy topic may sit under a base path or before a suffix (/topic/send): the whole path counts.
  return JSON.stringify([u.protocol, u.hostname, u.port, channel.type === 'ntfy' ? u.pathname.replace(/\/+$/, '') : '']);
}

/**
 * A client edits what GET returned, secrets redacted. A redacted value sent back unchanged keeps
 * the stored secret of the channel with the same id, while the channel's target is unchanged; any
 * other value containing *** is refused, naming the field.
 */
export function restoreSecrets(incoming: AlertChannel[], stored: AlertChannel[]): AlertChannel[] {
  const byId = new Map(stored.map((c) => [c.id, c]));
  return incoming.map((channel, i) => {
    const old = byId.get(channel.id);
    const same = old && old.type === channel.type ? old : undefined;
    const restored = { ...channel } as Record<string, unknown>;
    const refuse = (field: string, why: string, message: string) => {
      throw new OrchestratorError('validation_error', `channels.${i}.${field} ${why}; send the full value`, [{ field: `channels.${i}.${field}`, message }]);
    };
    const keep = (field: string, redacted: (c: AlertChannel) => unknown, original: (c: AlertChannel) => unknown, guardTarget: boolean) => {
      const value = restored[field];
      if (typeof value !== 'string' || !value.includes(REDACTED)) return;
      if (!same || redacted(same) !== value) return refuse(field, `contains ${REDACTED} but is not the stored value of channel "${channel.id}"`, 'is redacted and matches no stored secret; send the full value');
      if (guardTarget && target(restored as AlertChannel) !== target(same)) {
        return refuse(field, `is redacted, but channel "${channel.id}" now sends to another ${same.type === 'email' ? 'server' : 'host or topic'}`, `is redacted and the channel's target changed (${same.type === 'email' ? 'host, port or TLS' : same.type === 'ntfy' ? 'scheme, host, port or topic' : 'scheme, host or port'}); send the secret again for the new target`);
      }
      restored[field] = original(same);
    };
    if (channel.type === 'alertmanager') {
      // A peer URL sent back as shown keeps the stored URL it was shown for, user info and all.
      restored.urls = channel.urls.map((url, j) => {
        if (!url.includes(REDACTED)) return url;
        const kept = same?.type === 'alertmanager' ? same.urls.find((u) => redactUrl(u, 'alertmanager') === url) : undefined;
        return kept ?? refuse(`urls.${j}`, `contains ${REDACTED} but is not a stored URL of channel "${channel.id}"`, 'is redacted and matches no stored URL; send the full value');
      });
    }
    keep('url', (c) => ('url' in c ? redactUrl(c.url, c.type) : undefined), (c) => ('url' in c ? c.url : undefined), false);
    keep('token', (c) => (c.type === 'ntfy' && c.token ? REDACTED : undefined), (c) => (c.type === 'ntfy' ? c.token : undefined), true);
    keep('password', (c) => (c.type === 'email' && c.password ? REDACTED : undefined), (c) => (c.type === 'email' ? c.password : undefined), true);
    return restored as AlertChannel;
  });
}

/** A URL as a viewer sees an alert channel's: scheme, host and port only. */
const originOnly = (url: string): string => (URL.canParse(url) ? `${new URL(url).protocol}//${new URL(url).host}` : REDACTED);
const CHANNEL_TYPES = new Set(['webhook', 'ntfy', 'slack', 'discord', 'email', 'alertmanager']);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What a token of `scope` may read of any answer, push, event or audit entry: admins what the faces
 * show today (secrets already redacted); below admin, no environment value of a workload, no user
 * info or query value in any URL (probe URLs included), and alert channels' URLs as scheme and host.
 */
export function viewForScope<T>(value: T, scope: TokenScope): T {
  if (scope === 'admin') return value;
  const walk = (v: unknown, inChannel: boolean): unknown => {
    if (typeof v === 'string') return v.includes('://') ? redactUrlSecrets(v) : v;
    if (Array.isArray(v)) return v.map((item) => walk(item, inChannel));
    if (!isRecord(v)) return v;
    const channel = inChannel || (typeof v.type === 'string' && CHANNEL_TYPES.has(v.type) && ('url' in v || 'urls' in v || 'host' in v));
    return Object.fromEntries(
      Object.entries(v).map(([key, item]) => {
        if (key === 'env' && isRecord(item)) return [key, Object.fromEntries(Object.keys(item).map((name) => [name, REDACTED]))];
        if (channel && (key === 'url' || key === 'urls')) return [key, Array.isArray(item) ? item.map((u) => originOnly(String(u))) : originOnly(String(item))];
        // A channel's delivery lists each peer by URL; a silence names the peer that answered.
        if ((key === 'peers' && Array.isArray(item)) || key === 'delivery') return [key, walk(item, true)];
        if (key === 'alertmanager' && typeof item === 'string') return [key, originOnly(item)];
        return [key, walk(item, channel)];
      }),
    );
  };
  return walk(value, false) as T;
}

/** What an agent gets back from any tool: fields named like secrets hidden, and user info in URLs. */
export function withoutSecretFields<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v) => (typeof v !== 'string' ? v : key && SECRET_NAME.test(key) ? '[redacted]' : redactUrlCredentials(v))) as T;
}
