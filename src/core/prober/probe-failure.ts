// Stable reason codes for failed probes, so the UI, REST and tests can tell faults apart.
export type FailureReason =
  | 'refused'
  | 'timeout_connect'
  | 'timeout_headers'
  | 'timeout_body'
  | 'timeout'
  | 'reset'
  | 'closed'
  | 'tls'
  | 'dns'
  | 'unreachable'
  | 'http_status'
  | 'ssh_protocol'
  | 'ssh_auth'
  | 'error';

export class ProbeFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    /** The answer's status, for `http_status` failures. */
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** Maps a socket/TLS/undici error to a reason code and a sentence a person can act on. */
export function classifyError(error: unknown, target: string): ProbeFailure {
  if (error instanceof ProbeFailure) return error;
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code ?? '';
  const message = String(err?.message ?? err);
  if (code === 'ECONNREFUSED') return new ProbeFailure('refused', `connection refused by ${target}`);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new ProbeFailure('reset', `connection reset by ${target}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return new ProbeFailure('dns', `DNS lookup failed for ${target} (${code})`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return new ProbeFailure('unreachable', `${target} is unreachable (${code})`);
  if (code.startsWith('ERR_SSL') || code === 'EPROTO' || code.startsWith('ERR_TLS') || /SSL|TLS|certificate/i.test(message)) {
    return new ProbeFailure('tls', `TLS handshake with ${target} failed: ${message}`);
  }
  if (code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return new ProbeFailure('closed', `${target} closed the connection: ${message}`);
  return new ProbeFailure('error', `${target}: ${message}`);
}

/** ssh2's errors carry a `level`; a handshake that never completes or a non-SSH peer gets its own reason. */
export function classifySshError(error: Error & { level?: string }, target: string): ProbeFailure {
  if (error.level === 'client-authentication') return new ProbeFailure('ssh_auth', `SSH authentication to ${target} failed`);
  if (/timed out while waiting for handshake/i.test(error.message)) return new ProbeFailure('timeout', `no SSH handshake with ${target} in time (the server accepted, then stalled)`);
  if (error.level === 'protocol' || /handshake|protocol|banner|identification/i.test(error.message)) return new ProbeFailure('ssh_protocol', `${target} does not speak SSH: ${error.message}`);
  return classifyError(error, target);
}
