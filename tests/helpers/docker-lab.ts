import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = path.resolve('scripts/docker-lab.sh');

/** Why the Docker lab cannot run here, or null; a lab that then fails to start skips its tests with the reason. */
const missingBinary = ['dockerd', 'docker', 'busybox', 'nsenter', 'ip'].find((bin) => {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
// .ci/run installs the packages, so in CI a missing one is a failure; no root or no Linux is a skip.
if (missingBinary && process.env.CI) throw new Error(`${missingBinary} not found; scripts/install-system-deps.sh installs docker.io and busybox-static`);
export const dockerLabMissing: string | null =
  process.platform !== 'linux' ? 'the Docker lab needs Linux network namespaces'
  : process.getuid?.() !== 0 ? 'the Docker lab needs root (network namespaces, dockerd)'
  : missingBinary ? `${missingBinary} not found; run scripts/install-system-deps.sh (docker.io, busybox-static)`
  : null;
if (dockerLabMissing) console.warn(`[skip] Docker Swarm tests: ${dockerLabMissing}`);

export interface DockerLab {
  dir: string;
  /** unix socket of daemon i (0 = the manager). */
  sockets: string[];
  /** Runs the docker CLI against daemon i. */
  docker(i: number, ...args: string[]): Promise<string>;
  startedInMs: number;
  stop(): Promise<void>;
}

/** N dockerd daemons in their own network namespaces; the first `swarmSize` (default all) in one swarm, daemon 0 managing. */
export async function startDockerLab(n: number, tag: string, swarmSize = n): Promise<DockerLab> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-lab-'));
  const started = performance.now();
  try {
    const { stdout } = await run('bash', [SCRIPT, 'up', dir, String(n), tag, String(swarmSize)], { timeout: 120_000 });
    const sockets = stdout.trim().split('\n');
    return {
      dir,
      sockets,
      startedInMs: performance.now() - started,
      docker: async (i, ...args) => (await run('docker', ['-H', `unix://${sockets[i]}`, ...args], { timeout: 60_000 })).stdout.trim(),
      stop: async () => void (await run('bash', [SCRIPT, 'down', dir, String(n), tag], { timeout: 60_000 })),
    };
  } catch (error) {
    await run('bash', [SCRIPT, 'down', dir, String(n), tag]).catch(() => {});
    const e = error as { stderr?: string; message: string };
    throw new Error(`the Docker lab did not start: ${e.stderr || e.message}`);
  }
}

/**
 * `it` for tests that need a started lab: each skips, saying why, when `unavailable()` names a reason
 * (dockerd could not start here, e.g. no network namespaces in an unprivileged container).
 */
export function labTest(unavailable: () => string | null) {
  return (name: string, fn: () => Promise<void>, timeout?: number) =>
    it(name, async (ctx) => {
      if (unavailable()) return ctx.skip();
      await fn();
    }, timeout);
}
