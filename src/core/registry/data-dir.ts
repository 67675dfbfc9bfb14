import fs from 'node:fs';
import envPaths from 'env-paths';

export const APP_DIR_NAME = 'mcp-cloud-orchestrator';

/** Per-user default: ~/.local/share/mcp-cloud-orchestrator on Linux, the platform's equivalent elsewhere. */
export function defaultDataDir(): string {
  return envPaths(APP_DIR_NAME, { suffix: '' }).data;
}

/** Creates the data directory readable by its owner only (it holds the token and host keys). */
export function ensureDataDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  return dir;
}
