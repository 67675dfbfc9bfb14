import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Notification, powerMonitor, safeStorage, screen } from 'electron';
import ElectronStore from 'electron-store';
import { MonitorSettingsSchema, ShellSettingsSchema, type ShellSettings } from '../shared/schemas/settings';
import { OrchestratorError } from '../shared/errors';
import { createCore, type Core } from '../core/app-core';
import { createApiHandlers, subscribePushEvents } from '../core/api/api-handlers';
import { withDurableWrites, type StoreFactory } from '../core/registry/json-store';
import { createMcpServerFactory } from '../core/mcp/mcp-tools';
import { serveOwnerSocket } from '../core/mcp/mcp-socket';
import { registerIpcHandlers, PUSH_CHANNEL } from './ipc';
import { TrayController } from './tray-controller';
import { electronTray } from './tray';
import { closeAction, isAppUrl, restoreBounds } from './window-policy';

// The Electron shell: wiring only. Decisions live in tray-presentation, window-policy (tested in
// Node) and the core's alert policy; services live in src/core.
const here = path.dirname(fileURLToPath(import.meta.url));
const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(here, '../../resources');
const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(path.join(here, '../renderer/index.html')).href;
const electronStoreFactory: StoreFactory = ({ cwd, configName }) => withDurableWrites(new ElectronStore({ cwd, name: configName, clearInvalidConfig: false, accessPropertiesByDotNotation: false, configFileMode: 0o600 }));

if (!app.requestSingleInstanceLock()) app.quit();

let window: BrowserWindow | null = null;
let quitting = false;

function showWindow(nodeId?: string): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  if (nodeId) window.webContents.send('mco:show-node', nodeId);
}

async function main(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const shellStore = new ElectronStore<Record<string, unknown>>({ name: 'shell-settings', cwd: userData, clearInvalidConfig: false });
  let shellSettings: ShellSettings = ShellSettingsSchema.parse(shellStore.store);
  const saveShell = (patch: Partial<ShellSettings>) => {
    shellSettings = ShellSettingsSchema.parse({ ...shellSettings, ...patch });
    shellStore.store = shellSettings;
  };
  // Passphrases sealed by the OS keychain (safeStorage); the file holds only ciphertext.
  const secrets = new ElectronStore<Record<string, string>>({ name: 'ssh-secrets', cwd: userData, clearInvalidConfig: false, configFileMode: 0o600 });
  const settingsStore = new ElectronStore<Record<string, unknown>>({ name: 'monitor-settings', cwd: userData, clearInvalidConfig: false });
  const core: Core = createCore({
    dataDir: process.env.DATA_DIR ?? path.join(userData, 'data'),
    storeFactory: electronStoreFactory,
    settings: MonitorSettingsSchema.parse({ ...settingsStore.store, ...(process.env.HEALTH_CHECK_INTERVAL ? { interval_s: Number(process.env.HEALTH_CHECK_INTERVAL) } : {}) }),
    nodesFilePath: process.env.NODES_FILE_PATH,
    demoNodesFile: path.join(app.isPackaged ? process.resourcesPath : path.join(here, '../..'), 'data/nodes.json'),
    ssh: {
      // Passphrases are kept encrypted by the OS keychain (safeStorage), never in plain text.
      passphraseFor: (keyPath) => {
        const sealed = secrets.get(keyPath);
        return typeof sealed === 'string' && safeStorage.isEncryptionAvailable() ? safeStorage.decryptString(Buffer.from(sealed, 'base64')) : undefined;
      },
    },
  });
  core.guardProcess();
  core.monitor.events.on('settings', (settings) => (settingsStore.store = settings));

  // Window: sandboxed, isolated, no Node, our page only.
  window = new BrowserWindow({
    ...restoreBounds(shellSettings.window_bounds, screen.getAllDisplays().map((d) => d.workArea)),
    show: !process.argv.includes('--hidden'),
    title: 'MCP Cloud Orchestrator',
    icon: path.join(resourcesDir, 'icon.png'),
    webPreferences: { preload: path.join(here, '../preload/index.cjs'), sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  window.on('close', (event) => {
    if (closeAction(quitting) === 'hide') {
      event.preventDefault();
      window?.hide();
    }
  });
  const saveBounds = () => window && !window.isMinimized() && saveShell({ window_bounds: window.getBounds() });
  window.on('moved', saveBounds);
  window.on('resized', saveBounds);
  void window.loadURL(appUrl);

  // IPC: one helper checks the sender and parses arguments with the shared schemas.
  registerIpcHandlers(
    ipcMain,
    {
      ...createApiHandlers(core, 'desktop-ui'),
      'shell:settings': () => shellSettings,
      'ssh:savePassphrase': ({ key_path, passphrase }) => {
        if (!safeStorage.isEncryptionAvailable()) {
          throw new OrchestratorError('unavailable', 'The OS keychain is not available, so the passphrase cannot be stored safely; use an SSH agent instead', [{ field: 'passphrase', message: 'no keychain' }]);
        }
        secrets.set(key_path, safeStorage.encryptString(passphrase).toString('base64'));
        core.ssh.pool.closeAll(); // the next connection uses it
        return { saved: key_path };
      },
      'shell:updateSettings': (patch) => {
        saveShell(patch);
        app.setLoginItemSettings({ openAtLogin: shellSettings.start_at_login, args: ['--hidden'] });
        return shellSettings; // REST and MCP policy changes apply at the next start
      },
    },
    () => appUrl,
  );
  subscribePushEvents(core, (event, payload) => window?.webContents.send(PUSH_CHANNEL, { event, payload }));

  // Tray and notifications.
  const tray = new TrayController(() => electronTray(resourcesDir), (action) => {
    switch (action.kind) {
      case 'open-node':
        return showWindow(action.id);
      case 'check-now':
        return void core.monitor.requestSweep();
      case 'pause':
        return core.monitor.pause(action.durationMs);
      case 'resume':
        return core.monitor.resume();
      case 'open-window':
        return showWindow();
      case 'quit':
        quitting = true;
        return app.quit();
    }
  });
  // The core's alert policy decides (the same alerts go to the alert channels); here they are shown.
  core.alerts.events.on('alert', (notice) => {
    if (!shellSettings.notifications || !Notification.isSupported()) return;
    const n = new Notification({ title: notice.title, body: notice.body, icon: path.join(resourcesDir, 'icon.png') });
    n.on('click', () => showWindow(notice.nodeId ?? undefined));
    n.show();
  });
  core.monitor.events.on('status', (status) => tray.update(status));
  if (process.env.MCO_E2E) (globalThis as { __mcoTray?: () => unknown }).__mcoTray = () => (tray.flush(), tray.shown);

  // Sleep: the monitor starts a grace period so waking up is not an alert storm.
  powerMonitor.on('resume', () => core.monitor.notifyResumeFromSleep());
  app.setLoginItemSettings({ openAtLogin: shellSettings.start_at_login, args: ['--hidden'] });

  // MCP for local agents: a 0600 socket in userData; destructive tools ask a person.
  const mcpSocket = await serveOwnerSocket(
    core,
    createMcpServerFactory(core, {
      version: app.getVersion(),
      policy: shellSettings.command_policy,
      readOnly: false,
      transport: 'desktop',
      confirm: async (request) => {
        const { response } = await dialog.showMessageBox({
          type: 'warning',
          title: 'An AI agent asks to run a destructive action',
          message: `${request.tool} on ${request.nodes.length} node(s): ${request.nodes.join(', ')}`,
          detail: request.detail,
          buttons: ['Deny', 'Allow once'],
          defaultId: 0,
          cancelId: 0,
        });
        return response === 1;
      },
    }),
    userData,
  );

  // Optional: the same REST API as headless, with the same guards.
  let rest: { close(): Promise<void> } | null = null;
  if (shellSettings.serve_rest_api) {
    const { startRestForCore } = await import('../server/embedded-rest');
    rest = await startRestForCore(core, shellSettings.rest_port);
  }

  core.monitor.start();
  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  app.on('before-quit', () => (quitting = true));
  app.on('will-quit', async () => {
    tray.destroy();
    await mcpSocket.close();
    await rest?.close();
    await core.close();
  });
  app.on('web-contents-created', (_event, contents) => contents.setWindowOpenHandler(() => ({ action: 'deny' })));
}

main().catch((error) => {
  dialog.showErrorBox('MCP Cloud Orchestrator could not start', String(error?.message ?? error));
  app.exit(1);
});
