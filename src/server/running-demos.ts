import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Each running `demo` leaves a note (its pid, data dir and the endpoints it holds) in the temp dir, so a
 * second demo that finds an address taken can say which demo holds it and where its data lives.
 */
export interface RunningDemo {
  pid: number;
  data_dir: string;
  /** "ip:port" of every simulated endpoint, and the service's own. */
  endpoints: string[];
  url?: string;
}

const notesDir = (): string => path.join(os.tmpdir(), 'mcp-orchestrator-demos');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Writes this process's note; the returned function removes it (also called at exit). */
export function noteRunningDemo(demo: Omit<RunningDemo, 'pid'>): () => void {
  const file = path.join(notesDir(), `${process.pid}.json`);
  try {
    fs.mkdirSync(notesDir(), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, ...demo }), { mode: 0o600 });
  } catch {
    return () => {}; // a note that cannot be written only makes a later conflict message less precise
  }
  const remove = () => fs.rmSync(file, { force: true });
  process.once('exit', remove);
  return remove;
}

/** The live demo (not this process) that holds `endpoint` ("ip:port"), if any. */
export function demoHolding(endpoint: string): RunningDemo | null {
  let files: string[];
  try {
    files = fs.readdirSync(notesDir());
  } catch {
    return null;
  }
  for (const name of files) {
    try {
      const demo = JSON.parse(fs.readFileSync(path.join(notesDir(), name), 'utf8')) as RunningDemo;
      if (demo.pid === process.pid || !demo.endpoints?.includes(endpoint)) continue;
      if (alive(demo.pid)) return demo;
      fs.rmSync(path.join(notesDir(), name), { force: true }); // left by a demo that was killed
    } catch {
      /* a note being written or not ours: skip */
    }
  }
  return null;
}
