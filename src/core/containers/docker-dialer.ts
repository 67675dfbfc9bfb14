import http from 'node:http';
import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { Node } from '../../shared/schemas/node';
import type { SshConnectionPool } from '../ssh/ssh-connection-pool';

/** What the remote `docker system dial-stdio` said before it exited, when it failed. */
export class DockerDialError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(stderr.trim() || `docker system dial-stdio exited with code ${exitCode}`);
    this.name = 'DockerDialError';
  }
}

const MAX_STDERR = 4096;
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * An HTTP agent whose connections are `docker system dial-stdio` sessions on the node's pooled SSH
 * connection: exactly what `docker -H ssh://node` does, but with our host-key pins, keys and agent.
 * A channel is kept for the next request (keep-alive) until it has been idle a few seconds: each new
 * one starts a docker CLI on the node, which costs more than the request. The SSH connection itself is
 * shared and stays pooled.
 */
export const DIAL_IDLE_MS = 5000;
export function sshDockerAgent(pool: SshConnectionPool, node: Node): http.Agent {
  // OpenSSH allows 10 sessions per connection by default (MaxSessions); leave room for commands and metrics.
  // `timeout` is how long an idle kept channel stays open (the agent destroys it at its 'timeout').
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4, maxFreeSockets: 2, timeout: DIAL_IDLE_MS });
  const host = node.docker?.host;
  const command = host ? `docker -H ${shellQuote(host)} system dial-stdio` : 'docker system dial-stdio';
  // Node's types want a socket back synchronously; a callback with the channel is also allowed.
  (agent as unknown as { createConnection: unknown }).createConnection = (_options: unknown, callback: (error: Error | null, socket?: unknown) => void) => {
    pool.hold(node).then(
      ({ client, release }) => {
        client.exec(command, (error, channel) => {
          if (error) {
            release();
            return callback(error);
          }
          callback(null, asSocket(channel, release));
        });
      },
      (error: Error) => callback(error),
    );
    return undefined;
  };
  return agent;
}

/**
 * An exec channel dressed as a socket for Node's HTTP client. sshd sends EOF before the exit
 * status, so the end of the stream waits for the exit code: a failed dial-stdio (docker missing,
 * socket refused, daemon down) becomes an error carrying its stderr, not a bare "socket hang up".
 */
export class DialStdioSocket extends Duplex {
  #stderr = '';
  #ended = false;
  #exitCode: number | null | undefined = undefined;
  #idle: NodeJS.Timeout | null = null;
  /** As net.Socket has it: the agent reads it before it sets its own. */
  timeout = 0;

  constructor(private readonly channel: ClientChannel) {
    // Not half-open: when dial-stdio ends, the socket closes, so a kept socket whose daemon went away leaves the agent.
    super({ allowHalfOpen: false });
    channel.stderr.on('data', (chunk: Buffer) => {
      if (this.#stderr.length < MAX_STDERR) this.#stderr += chunk.toString('utf8').slice(0, MAX_STDERR - this.#stderr.length);
    });
    channel.on('data', (chunk: Buffer) => {
      this.#arm();
      if (!this.push(chunk)) channel.pause();
    });
    channel.on('end', () => ((this.#ended = true), this.#settle()));
    channel.on('exit', (code: number | null) => ((this.#exitCode = code), this.#settle()));
    channel.on('close', () => {
      this.#ended = true;
      this.#exitCode ??= null;
      this.#settle();
    });
    channel.on('error', (error: Error) => this.destroy(error));
  }

  #settle(): void {
    if (!this.#ended || this.#exitCode === undefined || this.destroyed || this.readableEnded) return;
    if (this.#exitCode !== 0 && this.#exitCode !== null) this.destroy(new DockerDialError(this.#exitCode, this.#stderr));
    else this.push(null);
  }

  override _read(): void {
    this.channel.resume();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#arm();
    this.channel.write(chunk, callback);
  }
  override _final(callback: () => void): void {
    this.channel.end();
    callback();
  }
  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.channel.close();
    callback(error);
  }
  /**
   * 'timeout' after `ms` without traffic, as net.Socket does: 0 turns it off and takes the given
   * listener away again. The HTTP client sets one per request and clears it with (0, listener); adding
   * it then too left one more listener on a kept channel for every call.
   */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.timeout = ms;
    if (onTimeout) {
      if (ms === 0) this.removeListener('timeout', onTimeout);
      else this.once('timeout', onTimeout);
    }
    this.#arm();
    return this;
  }
  #arm(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = this.timeout > 0 && !this.destroyed ? setTimeout(() => this.emit('timeout'), this.timeout) : null;
    this.#idle?.unref();
  }
  // What the HTTP client may call on a socket; a channel has no such settings.
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

function asSocket(channel: ClientChannel, release: () => void): DialStdioSocket {
  channel.once('close', release);
  return new DialStdioSocket(channel);
}
