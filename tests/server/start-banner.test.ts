import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { spawnService } from '../helpers/service-process';
import { tempDir } from '../helpers/temp-dir';

const TOKEN = 'banner-test-token-0123456789';

async function stop(child: import('node:child_process').ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('the start banner', () => {
  it('prints the interval in force and where it came from: saved before a restart, then a flag', async () => {
    const dataDir = tempDir();
    const first = await spawnService({ dataDir, token: TOKEN, host: '127.57.0.1', defaultInterval: true });
    try {
      expect(first.output()).toMatch(/checked every 15s, timeout 5s\n/);
      const response = await fetch(`${first.url}/cluster/settings`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ interval_s: 3600 }) });
      expect(response.status).toBe(200);
    } finally {
      await stop(first.child);
    }
    const restarted = await spawnService({ dataDir, token: TOKEN, host: '127.57.0.1', defaultInterval: true });
    try {
      expect(restarted.output()).toMatch(/checked every 1h \(saved\), timeout 5s\n/);
    } finally {
      await stop(restarted.child);
    }
    const flagged = await spawnService({ dataDir, token: TOKEN, host: '127.57.0.1', defaultInterval: true, args: ['--health-check-interval', '90'] });
    try {
      expect(flagged.output()).toMatch(/checked every 1m 30s \(flag\)/);
    } finally {
      await stop(flagged.child);
    }
  }, 60_000);

  it('a bad setting stops the start with one line naming it, not a stack (issue 32, finding 15)', () => {
    const run = spawnSync(process.execPath, ['bin/mcp-orchestrator.mjs', 'serve', '--host', '127.57.0.1', '--port', '0'], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: tempDir(), ALERT_WEBHOOK_URL: `http://127.0.0.1:9/${'a'.repeat(2100)}` },
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['error: Invalid input — ALERT_WEBHOOK_URL.0: must be at most 2,048 characters']);
  });
});
