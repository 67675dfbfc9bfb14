import type { AlertChannel, AlertPayload } from '../../shared/schemas/alerts';
import { httpMessage, mailMessage } from './channel-messages';
import { loadNodemailer, loadUndici } from '../util/lazy-modules';

/** Sends one payload to one channel, once; rejects on any failure (the caller retries). */
export type ChannelSender = (channel: AlertChannel, payload: AlertPayload, timeoutMs: number) => Promise<void>;

/** Enough of a receiver's answer for an error message; a hostile one may send gigabytes. */
const ERROR_PREFIX_BYTES = 1024;

/** Reads at most `limit` bytes of a body, then drops the rest unread (the connection is closed). */
async function readPrefix(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    /* a body cut short still leaves the status to report */
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/**
 * One HTTP request under one deadline for connect, headers and body (a receiver that hangs costs at
 * most timeoutMs). Rejects on a status outside 2xx; resolves with at most `maxBytes` of the body.
 */
export async function httpExchange(url: string, init: { method: 'GET' | 'POST' | 'DELETE'; headers?: Record<string, string>; body?: string }, timeoutMs: number, maxBytes = ERROR_PREFIX_BYTES): Promise<string> {
  const { request } = await loadUndici(); // at the first alert, not at start-up
  const response = await request(url, {
    method: init.method,
    headers: { 'user-agent': 'mcp-cloud-orchestrator', ...init.headers },
    body: init.body,
    signal: AbortSignal.timeout(timeoutMs),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = await readPrefix(response.body, maxBytes);
  if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`HTTP ${response.statusCode}${text ? `: ${text.slice(0, 200)}` : ''}`);
  return text;
}

async function postHttp(channel: Exclude<AlertChannel, { type: 'email' | 'alertmanager' }>, payload: AlertPayload, timeoutMs: number): Promise<void> {
  const message = httpMessage(channel, payload);
  await httpExchange(message.url, { method: 'POST', headers: message.headers, body: message.body }, timeoutMs);
}

async function sendMail(channel: Extract<AlertChannel, { type: 'email' }>, payload: AlertPayload, timeoutMs: number): Promise<void> {
  const nodemailer = await loadNodemailer();
  // A password never travels in clear text: without TLS from the first byte, STARTTLS is required
  // (a server that does not offer it fails the delivery), unless the operator allowed plain text.
  const requireTLS = Boolean(channel.password) && !channel.secure && !channel.allow_plain_auth;
  const transport = nodemailer.createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.secure,
    requireTLS,
    auth: channel.username ? { user: channel.username, pass: channel.password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
  try {
    const mail = mailMessage(payload);
    await transport.sendMail({ from: channel.from, to: channel.to, subject: mail.subject, text: mail.text });
  } catch (error) {
    if (requireTLS && /STARTTLS/i.test((error as Error).message)) {
      throw new Error(`${channel.host}:${channel.port} offers no STARTTLS, so the password was not sent (set secure for TLS on connect, or allow_plain_auth to send it in clear text)`);
    }
    throw error;
  } finally {
    transport.close();
  }
}

export const sendToChannel: ChannelSender = async (channel, payload, timeoutMs) => {
  if (channel.type === 'email') return sendMail(channel, payload, timeoutMs);
  // Alertmanager is stateful (resends, recovery): the AlertmanagerForwarder sends to it.
  if (channel.type === 'alertmanager') throw new Error('Alertmanager channels are sent by the Alertmanager forwarder');
  return postHttp(channel, payload, timeoutMs);
};
