import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve('bin/mcp-orchestrator.mjs');

/** Runs `mcp-orchestrator serve` as its own process (so a crash is seen as an exit), on port 0 of `host`. */
export function spawnService(options: { dataDir: string; token: string; host?: string; args?: string[]; defaultInterval?: boolean }): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const args = [BIN, 'serve', '--host', host, '--port', '0', '--data-dir', options.dataDir, ...(options.defaultInterval ? [] : ['--health-check-interval', '3600']), ...(options.args ?? [])];
    const child = spawn(process.execPath, args, { env: { ...process.env, API_TOKEN: options.token }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /Address:\s+(http:\/\/[\d.]+:\d+)/.exec(out);
      if (match) resolve({ child, url: match[1], output: () => out });
    });
    child.stderr!.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => reject(new Error(`service exited (${code}) before listening: ${out}`)));
  });
}

/** SIGTERM, and resolves once the process has exited (at once if it already has). */
export function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
