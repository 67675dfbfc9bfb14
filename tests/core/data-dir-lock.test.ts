import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, readLockOwner } from '../../src/core/registry/data-dir-lock';
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
