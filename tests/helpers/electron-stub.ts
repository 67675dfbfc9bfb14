import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// Runs a built main process (out/main/index.js, or one extracted from app.asar) in Node against the
// stand-in Electron API of tests/fixtures/electron-stub.
const REGISTER = path.resolve('tests/fixtures/electron-stub/register.mjs');
const DRIVE = path.resolve('tests/fixtures/electron-stub/drive.mjs');
const argsFor = (main: string, scenario: string) => ['--import', REGISTER, DRIVE, path.resolve(main), scenario];

export interface ShellOutput {
  stub: string[];
  step: (name: string) => Record<string, unknown> | undefined;
}

export function parseShellOutput(stdout: string): ShellOutput {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { stub?: string; step?: string; value?: Record<string, unknown> });
  return { stub: lines.flatMap((l) => (l.stub ? [l.stub] : [])), step: (name) => lines.find((l) => l.step === name)?.value };
}

export function runShell(main: string, scenario: string, env: NodeJS.ProcessEnv, timeout = 30_000): ShellOutput & { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, argsFor(main, scenario), { encoding: 'utf8', env: { ...process.env, ...env }, timeout });
  return { ...parseShellOutput(run.stdout), status: run.status, stderr: run.stderr };
}

/** A running shell: its output so far, and a way to wait for a line. */
export class LiveShell {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(main: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, argsFor(main, 'live'), { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.stdout += d));
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get output(): ShellOutput {
    return parseShellOutput(this.stdout);
  }

  async waitFor(predicate: (output: ShellOutput) => boolean, timeoutMs = 20_000): Promise<ShellOutput> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.output)) {
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`shell did not get there:\n${this.stdout}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.output;
  }

  send(line: string): void {
    this.child.stdin!.write(line + '\n');
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
