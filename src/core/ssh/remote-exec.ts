import type { Client } from 'ssh2';

export const MAX_OUTPUT_BYTES = 256 * 1024;

export interface ExecOutcome {
  exit_code: number | null;
  stdout: string;
  stderr: string;
  error: string | null;
}

/** Keeps the first `limit` bytes of a stream and notes how much was cut. */
class CappedBuffer {
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #dropped = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): Buffer | null {
    const room = this.limit - this.#kept;
    if (room <= 0) {
      this.#dropped += chunk.length;
      return null;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#dropped += chunk.length - kept.length;
    this.#chunks.push(kept);
    this.#kept += kept.length;
    return kept;
  }
  text(): string {
    const body = Buffer.concat(this.#chunks).toString('utf8');
    return this.#dropped > 0 ? `${body}\n[… output truncated: ${this.#dropped} more bytes not kept …]` : body;
  }
}

// eslint-disable-next-line no-control-regex -- the record separator marks our own PID line
const PID_LINE = /^\x1eMCO_PID (\d+)\n/;

/** sh single-quoting: the command reaches the remote shell exactly as written. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The remote login shell is a session leader (sshd calls setsid), so its PID is the process group of
 * everything the command starts. It reports that PID on stderr (stripped again here) and then execs
 * the command, so a timeout can kill the whole group. OpenSSH ignores the SSH "signal" request for
 * most sessions, and closing a channel without a pty does not stop the command.
 */
export const wrapCommand = (command: string): string => `printf '\\036MCO_PID %s\\n' $$ >&2; exec /bin/sh -c ${shellQuote(command)}`;

/**
 * Runs one command on an open connection. On timeout or cancel the remote process group is killed
 * and the channel closed; `exit_code` is then null, as it is when the command never ran.
 */
export function execCommand(
  client: Client,
  command: string,
  options: { timeoutMs: number; signal?: AbortSignal; onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void; maxBytes?: number },
): Promise<ExecOutcome> {
  const stdout = new CappedBuffer(options.maxBytes ?? MAX_OUTPUT_BYTES);
  const stderr = new CappedBuffer(options.maxBytes ?? MAX_OUTPUT_BYTES);
  return new Promise((resolve) => {
    let settled = false;
    let channel: import('ssh2').ClientChannel | null = null;
    let remotePid: number | null = null;
    let stderrHead: string | null = ''; // until the PID line has been read
    const finish = (outcome: Pick<ExecOutcome, 'exit_code' | 'error'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ ...outcome, stdout: stdout.text(), stderr: stderr.text() });
    };
    const kill = (reason: string): void => {
      if (remotePid !== null) {
        client.exec(`kill -KILL -- -${remotePid} 2>/dev/null || kill -KILL ${remotePid}`, (error, killer) => {
          if (error) return;
          killer.on('error', () => {});
          killer.resume().stderr.resume();
        });
      }
      if (channel) {
        try {
          channel.signal('KILL'); // honoured by servers that support it; harmless elsewhere
        } catch {
          /* the channel may be gone already */
        }
        channel.close();
      }
      finish({ exit_code: null, error: reason });
    };
    const timer = setTimeout(() => kill(`timed out after ${options.timeoutMs / 1000}s; the remote command was killed`), options.timeoutMs);
    const onAbort = (): void => kill('cancelled; the remote command was killed');
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    client.exec(wrapCommand(command), (error, stream) => {
      if (error) return finish({ exit_code: null, error: `could not start the command: ${error.message}` });
      channel = stream;
      if (settled) return kill('cancelled');
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      const onStreamError = (streamError: Error) => finish({ exit_code: null, error: `the channel failed: ${streamError.message}` });
      stream.on('error', onStreamError);
      stream.stderr.on('error', onStreamError);
      stream.on('data', (chunk: Buffer) => {
        const kept = stdout.push(chunk);
        if (kept) options.onOutput?.('stdout', kept.toString('utf8'));
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        if (stderrHead !== null) {
          // The first stderr line is the wrapper's PID report; the rest is the command's.
          stderrHead += chunk.toString('utf8');
          const match = PID_LINE.exec(stderrHead);
          if (!match) {
            if (stderrHead.length < 64 && !stderrHead.includes('\n')) return;
            chunk = Buffer.from(stderrHead);
          } else {
            remotePid = Number(match[1]);
            chunk = Buffer.from(stderrHead.slice(match[0].length));
          }
          stderrHead = null;
          if (chunk.length === 0) return;
        }
        const kept = stderr.push(chunk);
        if (kept) options.onOutput?.('stderr', kept.toString('utf8'));
      });
      stream.on('exit', (code: number | null, signalName?: string) => {
        exitCode = code;
        exitSignal = signalName ?? null;
      });
      stream.on('close', () =>
        finish(
          exitCode !== null
            ? { exit_code: exitCode, error: null }
            : { exit_code: null, error: exitSignal ? `killed by signal ${exitSignal}` : 'the connection closed before the command finished' },
        ),
      );
    });
  });
}
