/**
 * The last resort for an error no handler caught. Every fault we know of is handled where it happens;
 * this only makes an unknown one loud (stack in the log, an event in the log) instead of silent.
 * A rejected promise or a network/SSH error leaves no half-done synchronous state, so the process
 * keeps serving; any other uncaught exception may have, so the process exits after reporting it.
 */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'EAI_AGAIN', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END', 'ERR_SOCKET_CLOSED']);

export function isSafeToContinue(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, level } = error as Error & { code?: string; level?: string };
  return (code !== undefined && NETWORK_CODES.has(code)) || level !== undefined; // ssh2 marks its errors with a level
}

export interface LastResortOptions {
  log: (line: string) => void;
  /** Records the error as an event, so it shows in the UI and the event log. */
  record: (message: string) => void;
  exit?: (code: number) => void;
}

export function installLastResortHandlers(options: LastResortOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const report = (what: string, error: unknown, continuing: boolean): void => {
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    options.log(`!!! ${what} — a bug in MCP Cloud Orchestrator; ${continuing ? 'the process keeps serving' : 'the process exits'}.\n${stack}`);
    try {
      options.record(`${what}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500));
    } catch {
      /* recording must not throw from here */
    }
  };
  const onException = (error: unknown): void => {
    const continuing = isSafeToContinue(error);
    report('Uncaught exception', error, continuing);
    if (!continuing) exit(70);
  };
  const onRejection = (reason: unknown): void => report('Unhandled promise rejection', reason, true);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
