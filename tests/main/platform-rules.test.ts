import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { APP_ID, DESKTOP_FILE, WM_CLASS, applyAppIdentity } from '../../src/main/app-identity';
import { trayIconFile } from '../../src/main/tray-presentation';
import { applyStartAtLogin, autostartEntry, autostartFile, startsHidden } from '../../src/main/autostart';
import { secretStorageRefusal } from '../../src/main/secret-storage';
import { trackWindowBounds } from '../../src/main/window-bounds';
import { MAX_RETAINED, Notifier, type NotificationLike } from '../../src/main/notifier';
import { installQuitCleanup } from '../../src/main/quit-cleanup';
import { sendToPage } from '../../src/main/safe-send';
import { appPaths } from '../../src/main/app-paths';
import { tempDir } from '../helpers/temp-dir';

// The shell's per-OS rules, with Electron's objects replaced by small fakes.
describe('AppUserModelId (Windows toasts)', () => {
  it('is set on Windows, to the appId electron-builder installs the shortcut with', () => {
    const calls: string[] = [];
    const fake = (platform: string) => ({ setAppUserModelId: (id: string) => calls.push(`${platform}:${id}`), getPath: () => '/home/u/.config/MCP Cloud Orchestrator', setPath: () => {}, setName: () => {} });
    for (const platform of ['win32', 'linux', 'darwin'] as const) applyAppIdentity(fake(platform), platform);
    expect(calls).toEqual([`win32:${APP_ID}`]);
    expect(fs.readFileSync('electron-builder.yml', 'utf8')).toMatch(new RegExp(`^appId: ${APP_ID.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('package.json has what the deb target requires (homepage, an author with an email) and nothing is rebuilt natively', () => {
    const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.author.email).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(fs.readFileSync('electron-builder.yml', 'utf8')).toMatch(/^npmRebuild: false$/m); // cpu-features cannot build here
  });

  it('on Linux the window class is the desktop entry\'s StartupWMClass, and userData does not move (finding 9)', () => {
    const calls: string[] = [];
    let name = 'MCP Cloud Orchestrator';
    const app = {
      setAppUserModelId: () => calls.push('aumid'),
      getPath: () => `/home/u/.config/${name}`,
      setPath: (_: string, p: string) => calls.push(`userData=${p}`),
      setName: (n: string) => calls.push(`name=${(name = n)}`),
    };
    applyAppIdentity(app, 'linux');
    expect(calls).toEqual(['userData=/home/u/.config/MCP Cloud Orchestrator', `name=${WM_CLASS}`]);
    expect(WM_CLASS).toBe('mcp-cloud-orchestrator'); // electron-builder's StartupWMClass: desktopName without .desktop
    applyAppIdentity(app, 'darwin');
    expect(calls).toHaveLength(2);
  });

  it('package.json names the desktop entry and electron-builder installs it under that name', () => {
    expect(JSON.parse(fs.readFileSync('package.json', 'utf8')).desktopName).toBe(DESKTOP_FILE);
    expect(fs.readFileSync('electron-builder.yml', 'utf8')).toMatch(/^\s+syncDesktopName: true$/m);
  });
});

describe('packaged binary hardening (issue 33, finding 6)', () => {
  it('sets every Electron fuse, valid for electron-builder, with only the one the app needs left on (file:// privileges; RunAsNode is off)', async () => {
    const { parse } = await import('yaml');
    const { Ajv } = await import('ajv');
    const config = parse(fs.readFileSync('electron-builder.yml', 'utf8'));
    const scheme = JSON.parse(fs.readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8'));
    const validate = new Ajv({ strict: false }).compile({ ...scheme.definitions.FuseOptionsV1, definitions: scheme.definitions });
    expect(validate(config.electronFuses), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(config.electronFuses).sort()).toEqual(Object.keys(scheme.definitions.FuseOptionsV1.properties).filter((k) => k !== 'resetAdHocDarwinSignature' && k !== 'strictlyRequireAllFuses').sort());
    expect(Object.entries(config.electronFuses).filter(([, on]) => on).map(([k]) => k).sort()).toEqual(['enableCookieEncryption', 'enableEmbeddedAsarIntegrityValidation', 'grantFileProtocolExtraPrivileges', 'onlyLoadAppFromAsar']);
  });

  it('the page may connect only to its own origin (no ws: or wss: to any host)', () => {
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(fs.readFileSync('src/renderer/index.html', 'utf8'))![1];
    expect(csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src'))).toBe("connect-src 'self'");
  });
});

describe('tray icons (issue 33, finding 10)', () => {
  const pngDpi = (file: string): number => {
    const png = fs.readFileSync(file);
    const at = png.indexOf('pHYs');
    expect(at, `${file} has a pHYs chunk`).toBeGreaterThan(0);
    expect(png[at + 12], 'unit: metre').toBe(1);
    return Math.round((png.readUInt32BE(at + 4) * 0.0254));
  };
  it('are ICO on Windows, template images on macOS, PNG on Linux, and every file exists', () => {
    for (const colour of ['green', 'amber', 'red', 'grey'] as const) {
      expect([trayIconFile(colour, 'win32'), trayIconFile(colour, 'darwin'), trayIconFile(colour, 'linux')]).toEqual([`tray-${colour}.ico`, `tray-${colour}Template.png`, `tray-${colour}.png`]);
      for (const platform of ['win32', 'darwin', 'linux'] as const) expect(fs.existsSync(`resources/${trayIconFile(colour, platform)}`)).toBe(true);
    }
    expect(fs.readFileSync('electron-builder.yml', 'utf8')).toMatch(/filter: \[.*'tray-\*\.ico'.*\]/);
  });
  it('marks every @2x image 144 dpi and the others 72, and each ICO holds 16, 24 and 32 px PNGs', () => {
    for (const file of fs.readdirSync('resources').filter((f) => f.startsWith('tray-') && f.endsWith('.png'))) expect(pngDpi(`resources/${file}`), file).toBe(file.includes('@2x') ? 144 : 72);
    for (const colour of ['green', 'amber', 'red', 'grey']) {
      const icon = fs.readFileSync(`resources/tray-${colour}.ico`);
      expect([icon.readUInt16LE(0), icon.readUInt16LE(2), icon.readUInt16LE(4)]).toEqual([0, 1, 3]);
      const sizes = [0, 1, 2].map((i) => {
        const entry = 6 + 16 * i;
        const offset = icon.readUInt32LE(entry + 12);
        expect(icon.subarray(offset, offset + 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
        expect(offset + icon.readUInt32LE(entry + 8)).toBeLessThanOrEqual(icon.length);
        return icon[entry];
      });
      expect(sizes).toEqual([16, 24, 32]);
    }
  });
});

describe('start at login', () => {
  it('on Linux writes an XDG autostart entry that starts hidden, and removes it when turned off', () => {
    const configDir = tempDir();
    const app = { setLoginItemSettings: vi.fn() };
    applyStartAtLogin(true, { platform: 'linux', app, command: ['/opt/MCP Cloud Orchestrator/mcp-cloud-orchestrator'], configDir });
    const file = autostartFile(configDir);
    expect(file).toBe(path.join(configDir, 'autostart', 'mcp-cloud-orchestrator.desktop'));
    const entry = fs.readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain('Exec="/opt/MCP Cloud Orchestrator/mcp-cloud-orchestrator" --hidden\n');
    expect(app.setLoginItemSettings).not.toHaveBeenCalled(); // a no-op on Linux in Electron
    applyStartAtLogin(false, { platform: 'linux', app, command: ['/x'], configDir });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('quotes what the Desktop Entry spec reserves', () => {
    expect(autostartEntry(['/a/$b"c', '/app dir'])).toContain('Exec="/a/\\$b\\"c" "/app dir" --hidden');
  });

  it('on macOS and Windows uses login items', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const app = { setLoginItemSettings: vi.fn() };
      applyStartAtLogin(true, { platform, app, command: ['/x'], configDir: tempDir() });
      expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, args: ['--hidden'] });
    }
  });

  it('starts hidden with --hidden, or on macOS when opened at login (login items take no arguments there)', () => {
    expect(startsHidden(['app', '--hidden'], 'linux', undefined)).toBe(true);
    expect(startsHidden(['app'], 'linux', { wasOpenedAtLogin: true })).toBe(false);
    expect(startsHidden(['app'], 'darwin', { wasOpenedAtLogin: true })).toBe(true);
    expect(startsHidden(['app'], 'darwin', { wasOpenedAtLogin: false })).toBe(false);
  });
});

describe('safeStorage', () => {
  const storage = (available: boolean, backend?: string) => ({ isEncryptionAvailable: () => available, getSelectedStorageBackend: () => backend ?? 'gnome_libsecret' });
  it('refuses basic_text on Linux (a hard-coded key), and says why', () => {
    expect(secretStorageRefusal(storage(true, 'basic_text'), 'linux')).toMatch(/hard-coded key/);
    expect(secretStorageRefusal(storage(true, 'gnome_libsecret'), 'linux')).toBeNull();
    expect(secretStorageRefusal(storage(true, 'kwallet5'), 'linux')).toBeNull();
    expect(secretStorageRefusal(storage(true), 'darwin')).toBeNull();
    expect(secretStorageRefusal(storage(false), 'win32')).toMatch(/keychain is not available/);
    // The watched service's token is refused in the same places, and says so.
    expect(secretStorageRefusal(storage(true, 'basic_text'), 'linux', 'token')).toMatch(/^No keyring .* the watched service's token would be readable/);
    expect(secretStorageRefusal(storage(true, 'gnome_libsecret'), 'linux', 'token')).toBeNull();
  });
});

describe('window bounds', () => {
  it('debounces move and resize, and saves at once on close and hide', () => {
    vi.useFakeTimers();
    try {
      const window = Object.assign(new EventEmitter(), { isMinimized: () => false, getBounds: () => ({ ...bounds }) });
      let bounds = { x: 1, y: 2, width: 800, height: 600 };
      const saved: unknown[] = [];
      trackWindowBounds(window, (b) => saved.push(b), { debounceMs: 500 });
      for (let i = 0; i < 20; i++) {
        bounds = { ...bounds, x: i };
        window.emit(i % 2 ? 'move' : 'resize');
        vi.advanceTimersByTime(100);
      }
      expect(saved).toEqual([]);
      vi.advanceTimersByTime(500);
      expect(saved).toEqual([{ x: 19, y: 2, width: 800, height: 600 }]);
      bounds = { ...bounds, y: 50 };
      window.emit('move');
      window.emit('hide');
      expect(saved).toHaveLength(2);
      vi.advanceTimersByTime(1000);
      expect(saved).toHaveLength(2); // the pending debounce was replaced by the immediate save
      window.emit('close');
      expect(saved).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('notifications', () => {
  class FakeNotification extends EventEmitter implements NotificationLike {
    shown = false;
    show() {
      this.shown = true;
    }
  }
  it('keeps each notification referenced until click, close or failed, and routes the click', () => {
    const made: FakeNotification[] = [];
    const clicks: Array<string | undefined> = [];
    const notifier = new Notifier(() => (made.push(new FakeNotification()), made.at(-1)!), '/icons/icon.png', (id) => clicks.push(id), 'linux');
    notifier.show({ title: 'a down', body: '', nodeId: 'a' });
    notifier.show({ title: 'b down', body: '', nodeId: 'b' });
    notifier.show({ title: 'offline', body: '', nodeId: null });
    expect(made.every((n) => n.shown)).toBe(true);
    expect(notifier.retained).toBe(3);
    made[0].emit('click');
    expect(clicks).toEqual(['a']);
    expect(notifier.retained).toBe(2);
    made[1].emit('close');
    made[2].emit('failed');
    expect(notifier.retained).toBe(0);
  });

  it('on Windows keeps a notification closed by its timeout (it moved to the Action Center) for a click, within a bound', () => {
    const made: FakeNotification[] = [];
    const clicks: Array<string | undefined> = [];
    const notifier = new Notifier(() => (made.push(new FakeNotification()), made.at(-1)!), '/icons/icon.png', (id) => clicks.push(id), 'win32');
    notifier.show({ title: 'a down', body: '', nodeId: 'a' });
    made[0].emit('close');
    expect(notifier.retained).toBe(1);
    made[0].emit('click');
    expect(clicks).toEqual(['a']);
    expect(notifier.retained).toBe(0);
    for (let i = 0; i < MAX_RETAINED + 20; i++) notifier.show({ title: `n${i}`, body: '', nodeId: `n${i}` });
    expect(notifier.retained).toBe(MAX_RETAINED);
  });
});

describe('quit', () => {
  const fakeApp = () => Object.assign(new EventEmitter(), { exits: [] as number[], exit(code: number) { this.exits.push(code); } });
  const quit = (app: EventEmitter) => {
    const event = { prevented: false, preventDefault() { this.prevented = true; } };
    app.emit('before-quit', event);
    return event.prevented;
  };

  it('holds the quit, runs every step in order even when one fails, then exits', async () => {
    const app = fakeApp();
    const order: string[] = [];
    installQuitCleanup(app, [
      ['a', async () => void order.push('a')],
      ['b', () => { order.push('b'); throw new Error('boom'); }],
      ['c', async () => { await new Promise((r) => setTimeout(r, 20)); order.push('c'); }],
    ], { log: (l) => order.push(l) });
    expect(quit(app)).toBe(true);
    expect(quit(app)).toBe(true); // a second Quit while cleaning up waits too
    await vi.waitFor(() => expect(app.exits).toEqual([0]));
    expect(order).toEqual(['a', 'b', 'quit: b failed: boom', 'c']);
    expect(quit(app)).toBe(false); // app.exit's own quit is let through
  });

  it('exits after the time bound when a step hangs', async () => {
    const app = fakeApp();
    const log: string[] = [];
    installQuitCleanup(app, [['stuck', () => new Promise(() => {})]], { timeoutMs: 50, log: (l) => log.push(l) });
    quit(app);
    await vi.waitFor(() => expect(app.exits).toEqual([0]));
    expect(log).toEqual(['quit: cleanup took over 50 ms; exiting anyway']);
  });

  it('sends nothing to a destroyed window', () => {
    const sent: string[] = [];
    const window = (destroyed: boolean, contentsDestroyed = false) => ({ isDestroyed: () => destroyed, webContents: { isDestroyed: () => contentsDestroyed, send: (c: string) => sent.push(c) } });
    expect(sendToPage(window(false), 'x')).toBe(true);
    expect(sendToPage(window(true), 'y')).toBe(false);
    expect(sendToPage(window(false, true), 'z')).toBe(false);
    expect(sendToPage(null, 'w')).toBe(false);
    expect(sent).toEqual(['x']);
  });
});

describe('paths', () => {
  const input = { resourcesPath: '/opt/app/resources', mainDir: '/opt/app/resources/app.asar/out/main', env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' } };
  it('honours ELECTRON_RENDERER_URL only unpackaged, so a packaged app never loads or trusts another origin', () => {
    expect(appPaths({ ...input, isPackaged: true }).appUrl).toBe('file:///opt/app/resources/app.asar/out/renderer/index.html');
    expect(appPaths({ ...input, isPackaged: false }).appUrl).toBe('http://localhost:5173/');
  });
  it('finds icons and the demo fleet outside app.asar when packaged', () => {
    const packaged = appPaths({ ...input, isPackaged: true });
    expect(packaged.iconsDir).toBe('/opt/app/resources/icons');
    expect(packaged.demoNodesFile).toBe('/opt/app/resources/data/nodes.json');
    const dev = appPaths({ ...input, mainDir: path.resolve('out/main'), isPackaged: false });
    expect(fs.existsSync(path.join(dev.iconsDir, 'tray-green.png'))).toBe(true);
    expect(fs.existsSync(dev.demoNodesFile)).toBe(true);
  });
});

describe('tray icons', () => {
  // The alpha channel of one of our own PNGs (8-bit RGBA, unfiltered rows, as scripts/make-icons.ts writes).
  const alphaMask = (file: string): string => {
    const png = fs.readFileSync(file);
    const idat = png.indexOf('IDAT');
    const raw = zlib.inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    const size = png.readUInt32BE(16);
    let mask = '';
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) mask += raw[y * (1 + size * 4) + 1 + x * 4 + 3] > 127 ? '#' : '.';
    return mask;
  };
  it('macOS template images (drawn as a mask) differ in shape per state', () => {
    for (const scale of ['', '@2x']) {
      const masks = ['green', 'amber', 'red', 'grey'].map((c) => alphaMask(`resources/tray-${c}Template${scale}.png`));
      expect(new Set(masks).size, scale).toBe(4);
    }
  });
});
