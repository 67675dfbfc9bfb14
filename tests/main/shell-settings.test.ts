import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveShell } from '../helpers/electron-stub';
import { tempDir } from '../helpers/temp-dir';
import { readShellSettings } from '../../src/main/shell-settings';
import { WatchServiceSchema } from '../../src/shared/schemas/settings';

// Issue 39, findings 9 and 16: no setting can stop every launch, only "Watch a service" sets the
// watched address, and a token never goes in the clear to a host outside the tailnet.
let shell: LiveShell | null = null;
afterAll(() => shell?.kill());

describe('the desktop shell settings', () => {
  it('keeps what is valid, leaves out what is not, keeps the file aside, and starts (built main process, stand-in Electron)', async () => {
    const userData = tempDir();
    const dataDir = tempDir();
    const written = { notifications: false, rest_port: 99999, watch_url: 'not a url', from_a_newer_version: { x: 1 } };
    fs.writeFileSync(`${userData}/shell-settings.json`, JSON.stringify(written));
    shell = new LiveShell('out/main/index.js', { STUB_USER_DATA: userData, DATA_DIR: dataDir, XDG_CONFIG_HOME: tempDir(), HEALTH_CHECK_INTERVAL: '3600' });
    const ready = (await shell.waitFor((o) => Boolean(o.step('ready')))).step('ready') as { shell: Record<string, unknown> };
    expect(ready.shell).toMatchObject({ notifications: false, rest_port: 8000, watch_url: null });
    const aside = fs.readdirSync(userData).filter((f) => f.startsWith('shell-settings.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(`${userData}/${aside[0]}`, 'utf8'))).toEqual(written);
    expect(shell.stderr).toMatch(/rest_port: .*watch_url: .*from_a_newer_version: not a setting of this version/);
    expect(fs.readFileSync(`${dataDir}/events.jsonl`, 'utf8')).toContain('store_recovered');

    // shell:updateSettings cannot set the watched service: only shell:watchService, which checks it.
    shell.send('call shell:updateSettings {"watch_url":"http://127.94.0.1:8000"}');
    expect((await shell.waitFor((o) => Boolean(o.step('call:shell:updateSettings')))).step('call:shell:updateSettings')).toMatchObject({ ok: false, error: { error: 'validation_error' } });
    expect(JSON.parse(fs.readFileSync(`${userData}/shell-settings.json`, 'utf8')).watch_url).toBeNull();
    shell.send('quit');
    expect(await shell.exited).toBe(0);
  }, 60_000);

  it('names each value it leaves out', () => {
    expect(readShellSettings({ start_at_login: 'yes', command_policy: 'allow' })).toEqual({
      settings: expect.objectContaining({ start_at_login: false, command_policy: 'allow' }),
      problems: [expect.stringMatching(/^start_at_login: /)],
    });
  });

  it('refuses plain http:// outside loopback and the tailnet, saying why', () => {
    for (const url of ['http://127.0.0.1:8000', 'http://100.64.0.5:8000', 'http://100.127.255.1', 'http://[fd7a:115c:a1e0::5]:8000', 'http://mon-a.tail1234.ts.net:8000', 'http://localhost:8000', 'https://monitor.example.com']) {
      expect(WatchServiceSchema.safeParse({ url, token: 't' }).success, url).toBe(true);
    }
    for (const url of ['http://monitor.example.com:8000', 'http://192.168.1.5:8000', 'http://100.128.0.1', 'http://[fd7a:115c:a1e1::5]', 'http://evil.ts.net.example.com']) {
      const parsed = WatchServiceSchema.safeParse({ url, token: 't' });
      expect(parsed.success, url).toBe(false);
      expect(JSON.stringify(parsed.error), url).toContain('plain http:// would send the token in the clear');
    }
  });
});
