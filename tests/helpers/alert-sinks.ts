import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: unknown;
}

/** ok: 204; fail: 500; hang: reads the request and never answers. */
export type SinkMode = 'ok' | 'fail' | 'hang';

/** A real HTTP receiver on loopback that records every request (webhook, ntfy, Slack, Discord). */
export async function startHttpSink(host: string) {
  const received: ReceivedRequest[] = [];
  let attempts = 0;
  let mode: SinkMode = 'ok';
  let failNext = 0;
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      attempts++;
      if (mode === 'hang') return void hanging.add(res);
      if (failNext > 0 && failNext--) return void res.writeHead(503).end('busy');
      if (mode === 'fail') return void res.writeHead(500).end('receiver broken');
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        /* ntfy bodies are plain text */
      }
      received.push({ path: req.url ?? '', headers: req.headers, text, json });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://${host}:${port}`,
    received,
    /** Every request seen, answered or not. */
    get attempts() {
      return attempts;
    },
    setMode(next: SinkMode) {
      mode = next;
    },
    /** The next n requests get 503, then the mode applies again. */
    failNext(n: number) {
      failNext = n;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type HttpSink = Awaited<ReturnType<typeof startHttpSink>>;

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
}

/** A real SMTP server on loopback (smtp-server), plain text with AUTH, recording every message. */
export async function startSmtpSink(host: string, credentials: { user: string; pass: string }) {
  const mails: ReceivedMail[] = [];
  /** Every AUTH the server saw, right or wrong: where a password went. */
  const authAttempts: Array<{ user: string | undefined; password: string | undefined }> = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      authAttempts.push({ user: auth.username, password: auth.password ?? undefined });
      if (auth.username === credentials.user && auth.password === credentials.pass) return callback(null, { user: auth.username });
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, user: session.user as string | undefined });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.server.address() as AddressInfo;
  return { host, port, mails, authAttempts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
