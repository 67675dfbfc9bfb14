import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';
import { runShell } from '../helpers/electron-stub';

// No Electron binary can run here, so this runs the *built* main process in plain Node with a
// stand-in for Electron's API (tests/fixtures/electron-stub). It checks the shell's wiring — window
// options, IPC registration and checks, tray and notifications driven by the core, resume from sleep,
// quit — not Electron itself; tests/electron is the real end-to-end suite where a binary exists.
// tests/main/packaged-app.test.ts runs the same against the packaged app's layout.
const step = (run: ReturnType<typeof runShell>, name: string) => run.step(name);
const spawnCheck = (file: string) => spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });

describe('main process wiring (stand-in Electron API)', () => {
  it('every chunk of the built main process and preload parses', () => {
    const files = ['out/main', 'out/preload'].flatMap((dir) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.c?js$/.test(f)).map((f) => `${dir}/${f}`));
    expect(files).toContain('out/main/index.js');
    expect(files).toContain('out/preload/index.cjs');
    for (const file of files) {
      const check = spawnCheck(file);
      expect(check.status, `${file}: ${check.stderr}`).toBe(0);
    }
  });

  it('starts, answers IPC, drives the tray and notifications from the core, and quits cleanly', () => {
    const userData = tempDir();
    const run = runShell('out/main/index.js', 'smoke', { DATA_DIR: tempDir(), HEALTH_CHECK_INTERVAL: '3600', STUB_USER_DATA: userData, XDG_CONFIG_HOME: tempDir() });
    const { stub, step } = run;
    expect(stub.find((s) => s.startsWith('window '))).toContain('"sandbox":true,"contextIsolation":true,"nodeIntegration":false');
    expect(stub).toContain('window open handler -> {"action":"deny"}');
    // Every web permission is denied, asked or checked (Electron grants them all by default), but
    // writing the clipboard from the app's own page (Copy in the Tokens panel).
    expect(stub.filter((s) => s.startsWith('permission '))).toEqual([
      'permission request media -> false', 'permission request geolocation -> false', 'permission request notifications -> false', 'permission request clipboard-read -> false',
      'permission check media file:/// -> false', 'permission check clipboard-sanitized-write file:/// -> true', 'permission check clipboard-sanitized-write https://evil.example -> false',
    ]);
    expect(step('listeners')).toEqual({ 'second-instance': 1 });
    // Every IPC entry point checks its sender; electron-store's own unchecked one is removed.
    expect(step('ipc-listeners')).toEqual({});
    expect(step('create')).toMatchObject({ ok: true, result: { id: 'stub-1' } });
    expect(step('invalid')).toMatchObject({ ok: false, error: { error: 'validation_error', details: expect.arrayContaining([{ field: 'hostname', message: 'is required', code: 'required' }]) } });
    expect(step('foreign')).toMatchObject({ ok: false, error: { error: 'forbidden' } });
    expect(step('shell')).toMatchObject({ ok: true, result: { command_policy: 'ask', serve_rest_api: false } });
    // The stand-in's safeStorage is Linux without a keyring (basic_text): storing is refused, with why.
    expect(step('passphrase')).toMatchObject({ ok: false, error: { error: 'unavailable', message: expect.stringContaining('hard-coded key') } });
    expect(stub).toContain('tooltip 0/1 healthy — stub-1 down'); // nothing listens on 127.47.0.1:22
    expect(stub).toContain('notification stub-1 is down');
    expect(step('status')).toMatchObject({ in_grace: true }); // resume from sleep starts the grace period
    expect(stub.filter((s) => s.startsWith('MISSING'))).toEqual([]);
    expect(stub.some((s) => s.startsWith('ERRORBOX'))).toBe(false);
    // Quit: before-quit is held until the cleanup ran, then the app exits 0 with the socket gone.
    expect(stub).toContain('tray destroyed');
    expect(stub.at(-1)).toBe('exit 0');
    expect(run.status).toBe(0);
    expect(fs.existsSync(`${userData}/mcp.sock`)).toBe(false);
  }, 60_000);

  it('asks a person with a dialog that has a parent and a signal: no answer refuses at the timeout and closes it; "Allow once" removes', () => {
    const env = { DATA_DIR: tempDir(), HEALTH_CHECK_INTERVAL: '3600', XDG_CONFIG_HOME: tempDir(), MCO_CONFIRM_TIMEOUT_S: '1.5' };
    const unanswered = runShell('out/main/index.js', 'confirm', { ...env, STUB_USER_DATA: tempDir() });
    expect(unanswered.stub.filter((s) => s.startsWith('messagebox parent='))).toEqual(['messagebox parent=true signal=true remove_node on 1 node(s): stub-1']);
    expect(unanswered.stub).toContain('messagebox closed by signal');
    expect(unanswered.step('confirm')).toMatchObject({ answer: { isError: true, content: [{ text: expect.stringMatching(/A person did not allow remove_node/) }] }, still_there: true });
    expect(unanswered.step('confirm')!.ms).toBeLessThan(10_000); // the shell's timeout, not the 60 s default
    expect(unanswered.status).toBe(0);

    const allowed = runShell('out/main/index.js', 'confirm', { ...env, DATA_DIR: tempDir(), STUB_USER_DATA: tempDir(), STUB_CONFIRM: 'allow' });
    expect(allowed.step('confirm')).toMatchObject({ answer: { structuredContent: { removed: 'stub-1' } }, still_there: false });
    expect(allowed.stub).not.toContain('messagebox closed by signal');
  }, 60_000);

  it('starts without the REST API when its port is taken, says why in a notification and the settings, and keeps running', async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const userData = tempDir();
      fs.writeFileSync(`${userData}/shell-settings.json`, JSON.stringify({ serve_rest_api: true, rest_port: port }));
      const run = runShell('out/main/index.js', 'smoke', { DATA_DIR: tempDir(), HEALTH_CHECK_INTERVAL: '3600', STUB_USER_DATA: userData, XDG_CONFIG_HOME: tempDir() });
      expect(run.stub.some((s) => s.startsWith('ERRORBOX'))).toBe(false);
      expect(run.stub).toContain('notification The REST API did not start');
      expect(step(run, 'shell')).toMatchObject({ ok: true, result: { serve_rest_api: true, rest_error: expect.stringMatching(/^port in use: .*EADDRINUSE/) } });
      expect(step(run, 'create')).toMatchObject({ ok: true }); // the rest of the app works
      expect(run.status).toBe(0);
    } finally {
      squatter.close();
    }
  }, 60_000);

  it('releases the data-dir lock when Windows ends the session (no before-quit), even if killed right after', () => {
    const dataDir = tempDir();
    const run = runShell('out/main/index.js', 'session-end', { DATA_DIR: dataDir, HEALTH_CHECK_INTERVAL: '3600', STUB_USER_DATA: tempDir(), XDG_CONFIG_HOME: tempDir() });
    expect(run.step('before')).toEqual({ lock: true });
    expect(run.step('after')).toEqual({ lock: false });
    expect(fs.existsSync(`${dataDir}/owner.lock`)).toBe(false);
  }, 60_000);

  it('speaks the OS language in the tray and desktop notifications (app.getLocale() = ko-KR)', () => {
    const run = runShell('out/main/index.js', 'smoke', { DATA_DIR: tempDir(), HEALTH_CHECK_INTERVAL: '3600', STUB_USER_DATA: tempDir(), XDG_CONFIG_HOME: tempDir(), MCO_STUB_LOCALE: 'ko-KR' });
    expect(run.stub).toContain('tooltip MCP Cloud Orchestrator — 시작하는 중…');
    expect(run.stub).toContain('tooltip 1대 중 0대 정상 — stub-1 장애');
    expect(run.stub).toContain('notification stub-1 장애 발생');
    expect(run.status).toBe(0);
  }, 60_000);
});
