import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OrchestratorError } from '../../shared/errors';

// A pid lock rather than a time-based one (proper-lockfile): after SIGKILL the owner is known to be
// dead at once, so a restart need not wait for a stale timeout.
export interface LockOwner {
  pid: number;
  hostname: string;
  started_at: string;
  /** Where the owner answers local clients (MCP bridge), if it does. */
  socket?: string;
  /** The owner's start time in clock ticks since boot (Linux), so a reused PID is not taken for it. */
  proc_start?: number;
  /** The same where there is no /proc: the start time the OS reports (ps on macOS, Get-Process on Windows). */
  identity?: string;
}

export const LOCK_FILE = 'owner.lock';

/** Directories locked by this process: a second core in the same process is refused too. */
const heldHere = new Set<string>();

/** Field 22 of /proc/PID/stat; null where there is no /proc. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 on; the name may hold spaces
    const ticks = Number(fields[22 - 3]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** How the OS reports a process's start time where /proc is absent: `ps -o lstart=` (macOS, BSD) or Get-Process (Windows). */
function startTimeCommand(pid: number, platform: NodeJS.Platform): [string, string[]] {
  return platform === 'win32'
    ? ['powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `(Get-Process -Id ${Number(pid)}).StartTime.ToUniversalTime().ToString('o')`]]
    : ['ps', ['-o', 'lstart=', '-p', String(Number(pid))]];
}
const START_TIME_OPTIONS = { encoding: 'utf8' as const, timeout: 5000, windowsHide: true };

/** A process's start time as the OS reports it; null when it cannot be read (no such process, no tool). */
export function processStartIdentity(pid: number, platform: NodeJS.Platform = process.platform): string | null {
  try {
    const [command, args] = startTimeCommand(pid, platform);
    return execFileSync(command, args, START_TIME_OPTIONS).trim() || null;
  } catch {
    return null;
  }
}

/** The same without blocking: a start must not wait for PowerShell to come up. */
function processStartIdentityLater(pid: number, done: (identity: string) => void): void {
  const [command, args] = startTimeCommand(pid, process.platform);
  execFile(command, args, START_TIME_OPTIONS, (error, stdout) => {
    if (!error && stdout.trim()) done(stdout.trim());
  });
}

const hasProc = (): boolean => fs.existsSync('/proc/self/stat');

function isAlive(owner: Pick<LockOwner, 'pid' | 'proc_start' | 'identity'>): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A live PID that started at another time is a different process that reused the number (after a
  // Windows shutdown left the lock behind, the next login's processes may well have it).
  if (owner.proc_start !== undefined && hasProc()) {
    const started = processStartTicks(owner.pid);
    return started === null || started === owner.proc_start;
  }
  if (owner.identity !== undefined) {
    const identity = processStartIdentity(owner.pid);
    return identity === null || identity === owner.identity;
  }
  return true;
}

/** Reads the current owner of a data directory, or null when nobody (alive) owns it. */
export function readLockOwner(dir: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as LockOwner;
    if (owner.hostname === os.hostname() && !isAlive(owner)) return null;
    return owner;
  } catch {
    return null;
  }
}

export interface DataDirLock {
  readonly owner: LockOwner;
  /** Records the local socket in the lock so other processes can find this one. */
  setSocket(socket: string): void;
  release(): void;
}

export function acquireDataDirLock(dir: string): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  const key = path.resolve(dir);
  if (heldHere.has(key)) {
    throw new OrchestratorError('conflict', `Data directory ${dir} is in use by process ${process.pid} (this process). Choose another DATA_DIR.`, [
      { field: 'DATA_DIR', message: 'already owned by another process' },
    ]);
  }
  const ticks = processStartTicks(process.pid);
  const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), started_at: new Date().toISOString(), proc_start: ticks ?? undefined };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
      heldHere.add(key);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        heldHere.delete(key);
        process.off('exit', release);
        try {
          const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
          if (current.pid === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.on('exit', release);
      // Off Linux the start time comes from the OS, recorded into the lock once it is known.
      if (ticks === null) {
        processStartIdentityLater(process.pid, (identity) => {
          if (released) return;
          owner.identity = identity;
          fs.writeFileSync(file, JSON.stringify(owner), { mode: 0o600 });
        });
      }
      return {
        owner,
        setSocket(socket) {
          owner.socket = socket;
          fs.writeFileSync(file, JSON.stringify(owner), { mode: 0o600 });
        },
        release,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readLockOwner(dir);
      if (current && current.pid !== process.pid) {
        throw new OrchestratorError(
          'conflict',
          `Data directory ${dir} is in use by process ${current.pid} on ${current.hostname} (since ${current.started_at}). ` +
            'Stop that process or choose another DATA_DIR.',
          [{ field: 'DATA_DIR', message: 'already owned by another process' }],
        );
      }
      fs.rmSync(file, { force: true }); // the owner died without cleaning up
    }
  }
  throw new OrchestratorError('conflict', `Could not lock data directory ${dir}`);
}
