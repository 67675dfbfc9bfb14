import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The three-node Swarm lab for a bench worker (scripts/docker-lab.sh; root): its sockets, the manager's CLI, and its end. */
export function startBenchLab(tag: string): { sockets: string[]; docker: (...args: string[]) => string; down: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mco-bench-${tag}-`));
  const lab = (cmd: 'up' | 'down') => execFileSync('bash', ['scripts/docker-lab.sh', cmd, dir, '3', tag], { encoding: 'utf8', timeout: 120_000 });
  const sockets = lab('up').trim().split('\n');
  return {
    sockets,
    docker: (...args) => execFileSync('docker', ['-H', `unix://${sockets[0]}`, ...args], { encoding: 'utf8' }).trim(),
    down: () => void lab('down'),
  };
}
