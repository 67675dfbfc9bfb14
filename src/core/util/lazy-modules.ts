/**
 * Optional subsystems' packages, loaded at first use and kept: a process that never probes over HTTP
 * or SSH (the stdio MCP server answering tools/list, `--help`) never pays for undici or ssh2; nor one
 * that sends no alert for nodemailer, or manages no container for docker-modem; prom-client loads
 * with the first observation or scrape, re2js with the first silences read.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

export const loadSsh2 = once(async () => (await import('ssh2')).default);
export const loadUndici = once(() => import('undici'));
// Bundled CommonJS (out/cli) offers only its module.exports, as the default export.
export const loadPromClient = once(async () => {
  const module = await import('prom-client');
  return 'Registry' in module ? module : (module as { default: typeof module }).default;
});
export const loadDockerModem = once(async () => (await import('docker-modem')).default);
export const loadNodemailer = once(async () => (await import('nodemailer')).default);
export const loadRe2 = once(async () => (await import('re2js')).RE2JS);
