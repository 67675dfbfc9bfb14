import fs from 'node:fs';
import net from 'node:net';

/**
 * Null when every binary exists, else why the tests that need it are skipped. The set-up installs
 * them (scripts/install-system-deps.sh), so in CI a missing binary is a failure, not a skip.
 */
export function missingBinaries(what: string, paths: string[]): string | null {
  const missing = paths.every((p) => fs.existsSync(p)) ? null : `${what} not found at ${paths.join(' / ')}; run scripts/install-system-deps.sh`;
  if (missing) {
    if (process.env.CI) throw new Error(missing);
    console.warn(`[skip] ${what} tests: ${missing}`);
  }
  return missing;
}

/** A port nothing listens on at `host` now (for servers that must be told their port up front). */
export async function freePort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
