import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8' });

// Scratch files stay out of the repository: .tmp/ is where debugging scripts go, and it is ignored.
describe('the repository', () => {
  it('tracks no scratch file and ignores .tmp/', () => {
    const tracked = git('ls-files', '--', '.tmp', '*.log', '.env');
    expect(tracked.status, tracked.stderr).toBe(0);
    expect(tracked.stdout.trim().split('\n').filter(Boolean)).toEqual([]);
    expect(git('check-ignore', '-q', '--no-index', '.tmp/dbg.mts').status).toBe(0);
  });
});
