/**
 * Optional subsystems' packages, loaded at first use and kept: a process that never probes over HTTP
 * or SSH (the stdio MCP server answering tools/list, `--help`) never pays for undici or ssh2.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

export const loadSsh2 = once(async () => (await import('ssh2')).default);
export const loadUndici = once(() => import('undici'));
