import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

// No Electron binary can run here, so this runs the *built* main process in plain Node with a
// stand-in for Electron's API (tests/fixtures/electron-stub). It checks the shell's wiring — window
// options, IPC registration and checks, tray and notifications driven by the core, resume from sleep —
// not Electron itself; tests/electron is the real end-to-end suite where a binary exists.
describe('main process wiring (stand-in Electron API)', () => {
  it('builds, starts, answers IPC, and drives the tray and notifications from the core', () => {
    const build = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const run = spawnSync(process.execPath, ['--import', path.resolve('tests/fixtures/electron-stub/register.mjs'), path.resolve('tests/fixtures/electron-stub/drive.mjs'), path.resolve('out/main/index.js')], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: tempDir(), HEALTH_CHECK_INTERVAL: '3600' },
      timeout: 30_000,
    });
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { stub?: string; step?: string; value?: Record<string, unknown> });
    const stub = lines.flatMap((l) => (l.stub ? [l.stub] : []));
    const step = (name: string) => lines.find((l) => l.step === name)?.value;
    expect(stub.find((s) => s.startsWith('window '))).toContain('"sandbox":true,"contextIsolation":true,"nodeIntegration":false');
    expect(stub).toContain('window open handler -> {"action":"deny"}');
    expect(step('create')).toMatchObject({ ok: true, result: { id: 'stub-1' } });
    expect(step('invalid')).toMatchObject({ ok: false, error: { error: 'validation_error', details: expect.arrayContaining([{ field: 'hostname', message: 'is required' }]) } });
    expect(step('foreign')).toMatchObject({ ok: false, error: { error: 'forbidden' } });
    expect(step('shell')).toMatchObject({ ok: true, result: { command_policy: 'ask', serve_rest_api: false } });
    expect(stub).toContain('tooltip 0/1 healthy — stub-1 down'); // nothing listens on 127.47.0.1:22
    expect(stub).toContain('notification stub-1 is down');
    expect(step('status')).toMatchObject({ in_grace: true }); // resume from sleep starts the grace period
    expect(stub.some((s) => s.startsWith('ERRORBOX'))).toBe(false);
  }, 90_000);
});
