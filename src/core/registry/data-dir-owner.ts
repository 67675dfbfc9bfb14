import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Who owns a data directory, and whether that process is alive: read by the lock, and by the stdio
// MCP start before anything else is loaded (src/server/stdio-handshake), so Node built-ins only.

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
  /** The same where there is no /proc: the owner's start time, UTC (compared with what ps or Get-Process report). */
  identity?: string;
}

export const LOCK_FILE = 'owner.lock';

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

/** How the OS reports a process's start time where /proc is absent: `ps -o lstart=` (macOS, BSD) or Get-Process (Windows), in UTC. */
function startTimeCommand(pid: number, platform: NodeJS.Platform): [string, string[]] {
  return platform === 'win32'
    ? ['powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `(Get-Process -Id ${Number(pid)}).StartTime.ToUniversalTime().ToString('o')`]]
    : ['ps', ['-o', 'lstart=', '-p', String(Number(pid))]];
}
// ps writes lstart in the local time zone: asked in UTC (and English), a change of zone or of DST
// cannot make a live owner look like another process.
const startTimeOptions = () => ({ encoding: 'utf8' as const, timeout: 5000, windowsHide: true, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
/** Start times this close are the same process: ours is computed in-process, the OS's has whole seconds. */
const SAME_START_MS = 3000;

/** Reads the tool's answer as a UTC instant: ps was asked in UTC, Get-Process answers ISO 8601. */
function parseStartTime(text: string, platform: NodeJS.Platform): string | null {
  const at = platform === 'win32' ? Date.parse(text.trim()) : Date.parse(`${text.trim().replace(/\s+/g, ' ')} UTC`);
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}

/** A process's start time (UTC, ISO 8601) as the OS reports it; null when it cannot be read (no such process, no tool). */
export function processStartIdentity(pid: number, platform: NodeJS.Platform = process.platform): string | null {
  try {
    const [command, args] = startTimeCommand(pid, platform);
    return parseStartTime(execFileSync(command, args, startTimeOptions()), platform);
  } catch {
    return null;
  }
}

const execFileAsync = promisify(execFile);
/** The same without blocking the event loop (PowerShell can take seconds to start): the desktop shell's main thread keeps drawing. */
export async function processStartIdentityAsync(pid: number, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  try {
    const [command, args] = startTimeCommand(pid, platform);
    return parseStartTime((await execFileAsync(command, args, startTimeOptions())).stdout, platform);
  } catch {
    return null;
  }
}

/** This process's start time, known without asking the OS: written with the lock, at once. */
export const ownStartIdentity = (): string => new Date(Date.now() - process.uptime() * 1000).toISOString();

const hasProc = (): boolean => fs.existsSync('/proc/self/stat');

type OwnerIdentity = Pick<LockOwner, 'pid' | 'proc_start' | 'identity'>;

/** Whether the owner is alive from what is known at once; 'ask' when only the OS's start time can tell. */
function quickLiveness(owner: OwnerIdentity): boolean | 'ask' {
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
  return owner.identity !== undefined ? 'ask' : true;
}

const sameStart = (identity: string | null, owner: OwnerIdentity): boolean =>
  identity === null || Math.abs(Date.parse(identity) - Date.parse(owner.identity!)) <= SAME_START_MS;

function isAlive(owner: OwnerIdentity): boolean {
  const quick = quickLiveness(owner);
  return quick === 'ask' ? sameStart(processStartIdentity(owner.pid), owner) : quick;
}

async function isAliveAsync(owner: OwnerIdentity): Promise<boolean> {
  const quick = quickLiveness(owner);
  return quick === 'ask' ? sameStart(await processStartIdentityAsync(owner.pid), owner) : quick;
}

export function parseOwner(text: string): LockOwner | null {
  try {
    const owner = JSON.parse(text) as LockOwner | null;
    return typeof owner === 'object' && owner !== null && Number.isInteger(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

/** Reads the current owner of a data directory, or null when nobody (alive) owns it. */
export function readLockOwner(dir: string): LockOwner | null {
  let owner: LockOwner | null;
  try {
    owner = parseOwner(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
  } catch {
    return null;
  }
  return owner && (owner.hostname !== os.hostname() || isAlive(owner)) ? owner : null;
}

/** The same, asking the OS off the event loop where there is no /proc (macOS, Windows). */
export async function readLockOwnerAsync(dir: string): Promise<LockOwner | null> {
  let owner: LockOwner | null;
  try {
    owner = parseOwner(await fs.promises.readFile(path.join(dir, LOCK_FILE), 'utf8'));
  } catch {
    return null;
  }
  return owner && (owner.hostname !== os.hostname() || (await isAliveAsync(owner))) ? owner : null;
}
