import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { tempDir } from '../helpers/temp-dir';

// The Electron end-to-end suite runs wherever an Electron binary exists. Where it does not (these
// build machines cannot download it), it is skipped, and says why; it never passes in its place.
function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown as string;
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}
const binary = electronBinary();
const built = fs.existsSync(path.resolve('out/main/index.js'));
const reason = !binary
  ? 'no Electron binary (node_modules/electron was installed without its download; run `node node_modules/electron/install.js` where allowed)'
  : !built
    ? 'the app is not built (run `npm run build`)'
    : null;
if (reason) console.warn(`[skip] Electron end-to-end suite: ${reason}`);

let app: ElectronApplication;
let page: Page;

describe.skipIf(reason)('desktop app (Playwright _electron)', () => {
  beforeAll(async () => {
    app = await electron.launch({
      executablePath: binary!,
      args: [path.resolve('.'), '--no-sandbox'],
      env: { ...process.env, MCO_E2E: '1', DATA_DIR: tempDir(), HEALTH_CHECK_INTERVAL: '1' } as Record<string, string>,
    });
    page = await app.firstWindow();
  });
  afterAll(async () => app?.close());

  it('shows the dashboard in a sandboxed window', async () => {
    await page.waitForSelector('text=No nodes yet');
    const prefs = await app.evaluate(({ BrowserWindow }) => (BrowserWindow.getAllWindows()[0].webContents as unknown as { getLastWebPreferences(): object }).getLastWebPreferences());
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  });

  it('adds a node through the form and shows the tray state', async () => {
    await page.getByRole('button', { name: 'Add a node' }).click();
    const form = page.locator('form');
    await form.getByLabel('ID', { exact: true }).fill('desk-1');
    await form.getByLabel('Hostname').fill('desk-1');
    await form.getByLabel('Tailscale IP').fill('127.44.0.1');
    await form.getByLabel('CPU cores').fill('2');
    await form.getByLabel('Memory (GB)').fill('4');
    await form.getByRole('button', { name: 'Add node' }).click();
    await page.waitForSelector('[data-node-id="desk-1"]');
    // Nothing listens on 127.44.0.1:22, so after two sweeps the node is down and the tray red.
    await expect
      .poll(async () => app.evaluate(() => (globalThis as { __mcoTray?: () => { colour: string; tooltip: string } }).__mcoTray?.()), { timeout: 15_000 })
      .toMatchObject({ colour: 'red', tooltip: '0/1 healthy — desk-1 down' });
  });
});
