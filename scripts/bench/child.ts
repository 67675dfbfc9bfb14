import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';

const runTs = path.resolve('bin/run-ts.mjs');

/** Spawns a TypeScript script; resolves once it printed `ready` (or its JSON result when ready is null). */
export function spawnTs(script: string, args: string[], ready: string | null, nodeArgs: string[] = []): Promise<{ child: ChildProcess; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, runTs, script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (ready && output.includes(ready)) resolve({ child, output });
    });
    child.on('exit', (code) => (code === 0 && !ready ? resolve({ child, output }) : reject(new Error(`${script} exited with ${code}: ${output}`))));
  });
}

export function lastJsonLine<T>(output: string): T {
  const line = output.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (!line) throw new Error(`no JSON result in: ${output}`);
  return JSON.parse(line) as T;
}

/**
 * Bundles a script to out/bench/ and spawns it with plain Node, the way the built app runs the core
 * (the tsx loader alone would add ~35 MB of RSS in its own thread).
 */
export function spawnBundled(script: string, args: string[], nodeArgs: string[] = []): Promise<{ output: string }> {
  const outfile = path.resolve('out/bench', path.basename(script).replace(/\.ts$/, '.mjs'));
  buildSync({ entryPoints: [script], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', logLevel: 'error' });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, outfile, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve({ output }) : reject(new Error(`${script} exited with ${code}: ${output}`))));
  });
}
