import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, acquireDataDirLockAsync, processStartIdentity, readLockOwner, readLockOwnerAsync } from '../../src/core/registry/data-dir-lock';
import { tempDir } from '../helpers/temp-dir';

describe('data directory lock', () => {
  it('gives a second owner a clear error and lets go on release', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    // Another process trying the same directory:
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
      import('${path.resolve('src/core/registry/data-dir-lock.ts')}').then(({ acquireDataDirLock }) => {
        try { acquireDataDirLock(${JSON.stringify(dir)}); console.log('ACQUIRED'); } catch (e) { console.log(e.message); }
      });`], { encoding: 'utf8' });
    expect(child.stdout).toContain(`is in use by process ${process.pid}`);
    lock.release();
    expect(readLockOwner(dir)).toBeNull();
  });

  it('takes over the lock of a dead process', () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'owner.lock'), JSON.stringify({ pid: Number(dead.stdout), hostname: (await_hostname()), started_at: 'x' }));
    const lock = acquireDataDirLock(dir);
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
  });
});

function await_hostname(): string {
  return spawnSync('hostname', { encoding: 'utf8' }).stdout.trim();
}

describe('data directory lock where only the OS can tell who started when (macOS, Windows)', () => {
  /** A `ps` that takes 1.5 s before it answers, as PowerShell may at a cold start. */
  function slowPs(): string {
    const bin = tempDir();
    const real = spawnSync('sh', ['-c', 'command -v ps'], { encoding: 'utf8' }).stdout.trim();
    fs.writeFileSync(path.join(bin, 'ps'), `#!/bin/sh\nsleep 1.5\nexec ${real} "$@"\n`, { mode: 0o755 });
    return bin;
  }

  /** A live process whose lock names a start time it did not have: the PID was reused. */
  function reusedPidLock(dir: string, identity: string): ChildProcess {
    const live = spawn('sleep', ['30']);
    fs.writeFileSync(path.join(dir, 'owner.lock'), JSON.stringify({ pid: live.pid, hostname: os.hostname(), started_at: identity, identity }));
    return live;
  }

  async function ticksWhile(work: () => Promise<unknown> | unknown): Promise<number> {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
    return ticks;
  }

  it('asks the OS off the event loop, and takes over a lock whose PID now belongs to another process', async () => {
    const dir = tempDir();
    const live = reusedPidLock(dir, '2000-01-01T00:00:00.000Z');
    const path0 = process.env.PATH;
    process.env.PATH = `${slowPs()}:${path0}`;
    try {
      let lock: Awaited<ReturnType<typeof acquireDataDirLockAsync>> | undefined;
      const ticks = await ticksWhile(async () => (lock = await acquireDataDirLockAsync(dir)));
      expect(lock!.owner.pid).toBe(process.pid);
      expect(ticks).toBeGreaterThanOrEqual(15); // 1.5 s of a slow `ps`, with the timers still running
      lock!.release();
    } finally {
      process.env.PATH = path0;
      live.kill();
    }
  });

  it('refuses a live owner whose start time the OS confirms', async () => {
    const dir = tempDir();
    const live = spawn('sleep', ['30']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const identity = processStartIdentity(live.pid!);
      expect(identity).not.toBeNull();
      fs.writeFileSync(path.join(dir, 'owner.lock'), JSON.stringify({ pid: live.pid, hostname: os.hostname(), started_at: identity, identity }));
      await expect(acquireDataDirLockAsync(dir)).rejects.toThrow(`is in use by process ${live.pid}`);
      expect((await readLockOwnerAsync(dir))?.pid).toBe(live.pid);
    } finally {
      live.kill();
    }
  });
});
