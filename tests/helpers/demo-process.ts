import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

export interface DemoProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Waits for the banner (the service answers) and returns its address; throws if the demo exits first. */
  ready: (ms?: number) => Promise<string>;
  stop: () => Promise<number | null>;
}

/** `mcp-orchestrator demo` as its own process, killed when the test file ends; an undefined in `env` removes that variable. */
export function spawnDemo(env: NodeJS.ProcessEnv, args: string[] = ['--headless']): DemoProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/mcp-orchestrator.mjs'), 'demo', ...args], { cwd: ROOT, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = async (ms = 60_000) => {
    const end = Date.now() + ms;
    while (!/Address:\s+(http:\/\/\S+)/.test(output)) {
      if (child.exitCode !== null) throw new Error(`the demo exited (${child.exitCode}) at start:\n${output}`);
      if (Date.now() > end) throw new Error(`the demo did not start in ${ms / 1000} s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return /Address:\s+(http:\/\/\S+)/.exec(output)![1];
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { child, output: () => output, exited, ready, stop };
}
