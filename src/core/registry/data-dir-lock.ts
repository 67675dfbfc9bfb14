import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OrchestratorError } from '../../shared/errors';
import { LOCK_FILE, ownStartIdentity, parseOwner, processStartTicks, readLockOwner, readLockOwnerAsync, type LockOwner } from './data-dir-owner';

export { LOCK_FILE, ownStartIdentity, processStartIdentity, processStartIdentityAsync, processStartTicks, readLockOwner, readLockOwnerAsync, type LockOwner } from './data-dir-owner';

/** Directories locked by this process: a second core in the same process is refused too. */
const heldHere = new Set<string>();

export interface DataDirLock {
  readonly owner: LockOwner;
  /** Records the local socket in the lock so other processes can find this one. */
  setSocket(socket: string): void;
  release(): void;
}

/** Creates the lock file if nobody has one; null when it exists (its owner is then looked at). */
function tryCreateLock(dir: string): DataDirLock | null {
  const file = path.join(dir, LOCK_FILE);
  const key = path.resolve(dir);
  if (heldHere.has(key)) {
    throw new OrchestratorError('conflict', `Data directory ${dir} is in use by process ${process.pid} (this process). Choose another DATA_DIR.`, [
      { field: 'DATA_DIR', message: 'already owned by another process' },
    ]);
  }
  const ticks = processStartTicks(process.pid);
  // Off Linux the start time is this process's own, written with the lock (no OS tool to wait for).
  const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), started_at: new Date().toISOString(), ...(ticks === null ? { identity: ownStartIdentity() } : { proc_start: ticks }) };
  try {
    fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  }
  heldHere.add(key);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    heldHere.delete(key);
    process.off('exit', release);
    try {
      if (parseOwner(fs.readFileSync(file, 'utf8'))?.pid === process.pid) fs.unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
  process.on('exit', release);
  return {
    owner,
    setSocket(socket) {
      owner.socket = socket;
      fs.writeFileSync(file, JSON.stringify(owner), { mode: 0o600 });
    },
    release,
  };
}

/** Refuses a live owner; removes the lock of one that died without cleaning up. */
function settleExistingLock(dir: string, current: LockOwner | null): void {
  if (current && current.pid !== process.pid) {
    throw new OrchestratorError(
      'conflict',
      `Data directory ${dir} is in use by process ${current.pid} on ${current.hostname} (since ${current.started_at}). ` + 'Stop that process or choose another DATA_DIR.',
      [{ field: 'DATA_DIR', message: 'already owned by another process' }],
    );
  }
  fs.rmSync(path.join(dir, LOCK_FILE), { force: true });
}

const lockFailed = (dir: string): OrchestratorError => new OrchestratorError('conflict', `Could not lock data directory ${dir}`);

export function acquireDataDirLock(dir: string): DataDirLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    const lock = tryCreateLock(dir);
    if (lock) return lock;
    settleExistingLock(dir, readLockOwner(dir));
  }
  throw lockFailed(dir);
}

/** The same, for a process that must not block while the OS is asked who owns the lock (the desktop shell, the services). */
export async function acquireDataDirLockAsync(dir: string): Promise<DataDirLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const lock = tryCreateLock(dir);
    if (lock) return lock;
    settleExistingLock(dir, await readLockOwnerAsync(dir));
  }
  throw lockFailed(dir);
}
