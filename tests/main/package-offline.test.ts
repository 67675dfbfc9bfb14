import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Issue 40, item 18: without a network, `npm run package` says in one line why and how to package
// offline, instead of a stack trace after a minute. The mirror's host cannot resolve (.invalid).
describe('npm run package without a way to download Electron', () => {
  it('stops at once with one line naming the host and the offline command', () => {
    const started = Date.now();
    const run = spawnSync(process.execPath, ['scripts/package.mjs', '--skip-build', '--linux', 'dir'], { encoding: 'utf8', env: { ...process.env, ELECTRON_MIRROR: 'https://electron-mirror.invalid/' }, timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^npm run package needs Electron's binaries, downloaded from electron-mirror\.invalid, which this machine cannot resolve; package offline with `npm run package -- --linux dir -c\.electronDist=DIR`/)]);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
