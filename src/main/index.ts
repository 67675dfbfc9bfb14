import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Notification, powerMonitor, safeStorage, screen, session } from 'electron';
import ElectronStore from 'electron-store';
import { MonitorSettingsSchema, ShellSettingsSchema, validMonitorFields, type ShellSettings } from '../shared/schemas/settings';
import { OrchestratorError } from '../shared/errors';
import { openCore, type Core } from '../core/app-core';
import { createApiHandlers, subscribePushEvents } from '../core/api/api-handlers';
import { withDurableWrites, type StoreFactory } from '../core/registry/json-store';
import { createMcpServerFactory } from '../core/mcp/mcp-tools';
import { serveOwnerSocket } from '../core/mcp/mcp-socket';
import { registerIpcHandlers, PUSH_CHANNEL } from './ipc';
import { TrayController } from './tray-controller';
import { electronTray } from './tray';
import { Notifier } from './notifier';
import { localNotice } from './notice-text';
import { createMainI18n } from './main-i18n';
import { closeAction, isAppUrl, permissionAllowed, restoreBounds } from './window-policy';
import { trackWindowBounds } from './window-bounds';
import { appPaths } from './app-paths';
import { applyAppIdentity } from './app-identity';
import { applyStartAtLogin, startsHidden } from './autostart';
import { secretStorageRefusal } from './secret-storage';
import { installQuitCleanup } from './quit-cleanup';
import { sendToPage } from './safe-send';
import { createConfirmQueue } from './confirm-queue';
import { RestSupervisor } from './rest-supervisor';
import { cachedPassphrases } from './passphrase-cache';
import { checkWatchable, WatchedService } from './watched-service';
import { followWatchedService, watchedTrayAction } from './watch-mode';
import { readShellSettings } from './shell-settings';
import { bridgeRequest } from './bridge-mode';
import { bridgeStdioToSocket } from '../core/mcp/socket-bridge';
import { setAside } from '../core/registry/json-store';
import { installLastResortHandlers } from '../core/util/last-resort';
import type { ApiHandlers } from '../core/api/api-handlers';

// The Electron shell: wiring only. Decisions live in small modules beside this one and in the core's alert
// policy (tested in Node); services live in src/core.
const paths = appPaths({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, mainDir: path.dirname(fileURLToPath(import.meta.url)), env: process.env });
const { appUrl } = paths;
const electronStoreFactory: StoreFactory = ({ cwd, configName }) => withDurableWrites(new ElectronStore({ cwd, name: configName, clearInvalidConfig: false, accessPropertiesByDotNotation: false, configFileMode: 0o600 }));

let window: BrowserWindow | null = null;
let quitting = false;

function showWindow(nodeId?: string): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  if (nodeId) sendToPage(window, 'mco:show-node', nodeId);
}

const startAtLogin = (enabled: boolean) =>
  applyStartAtLogin(enabled, {
    platform: process.platform,
    app,
    command: [process.env.APPIMAGE ?? process.execPath, ...(app.isPackaged ? [] : [app.getAppPath()])],
    configDir: process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'),
  });

async function main(): Promise<void> {
  applyAppIdentity(app, process.platform);
  await app.whenReady();
  const userData = app.getPath('userData');
  const shellStore = new ElectronStore<Record<string, unknown>>({ name: 'shell-settings', cwd: userData, clearInvalidConfig: false });
  // A setting this version cannot use is left out and the file kept aside, never a launch that stops.
  const { settings: readSettings, problems: shellProblems } = readShellSettings(shellStore.store);
  let shellSettings: ShellSettings = readSettings;
  const shellRecovery = shellProblems.length > 0 ? setAside(shellStore.path, `held settings this version cannot use (${shellProblems.join('; ')}); they were left out`, true) : null;
  if (shellRecovery) {
    shellStore.store = shellSettings;
    console.error(`!!! ${shellRecovery.file} ${shellRecovery.reason}. The original was kept at ${shellRecovery.moved_to}.`);
  }
  const saveShell = (patch: Partial<ShellSettings>) => {
    shellSettings = ShellSettingsSchema.parse({ ...shellSettings, ...patch });
    shellStore.store = shellSettings;
  };
  // Passphrases sealed by the OS keychain (safeStorage); the file holds only ciphertext.
  const secrets = new ElectronStore<Record<string, string>>({ name: 'ssh-secrets', cwd: userData, clearInvalidConfig: false, configFileMode: 0o600 });
  const settingsStore = new ElectronStore<Record<string, unknown>>({ name: 'monitor-settings', cwd: userData, clearInvalidConfig: false });
  // Client mode: the token of the watched service, sealed by the OS keychain like the passphrases.
  const watchSecret = new ElectronStore<Record<string, string>>({ name: 'watch-token', cwd: userData, clearInvalidConfig: false, configFileMode: 0o600 });
  // electron-store answers 'electron-store-get-data' (userData path, version) to any sender, with no
  // senderFrame check; no renderer of ours uses it, so it goes (later stores do not register it again).
  ipcMain.removeAllListeners('electron-store-get-data');
  const watchedToken = (): string => {
    try {
      const sealed = watchSecret.get('token');
      return sealed ? safeStorage.decryptString(Buffer.from(sealed, 'base64')) : '';
    } catch {
      return ''; // unreadable (another keychain): the service refuses it and the window asks for one
    }
  };
  // Watching a service, the app runs no core of its own: no registry, no monitor, no lock on DATA_DIR.
  const watching = shellSettings.watch_url ? new WatchedService(shellSettings.watch_url, watchedToken()) : null;
  const core: Core | null = watching
    ? null
    : await openCore({
        dataDir: process.env.DATA_DIR ?? path.join(userData, 'data'),
        storeFactory: electronStoreFactory,
        settings: MonitorSettingsSchema.parse({ ...validMonitorFields(settingsStore.store).valid, ...(process.env.HEALTH_CHECK_INTERVAL ? { interval_s: Number(process.env.HEALTH_CHECK_INTERVAL) } : {}) }),
        nodesFilePath: process.env.NODES_FILE_PATH,
        nodesFileMode: process.env.NODES_FILE_MODE === 'sync' ? 'sync' : 'import',
        demoNodesFile: paths.demoNodesFile,
        version: app.getVersion(),
        ...(Number(process.env.SERVICE_PENDING_ALERT_AFTER) >= 1 ? { servicePendingAlertAfterMs: Number(process.env.SERVICE_PENDING_ALERT_AFTER) * 1000 } : {}),
        ssh: {
          passphraseFor: cachedPassphrases({ sealed: (keyPath) => secrets.get(keyPath), decrypt: (sealed) => safeStorage.decryptString(sealed), available: () => safeStorage.isEncryptionAvailable() }),
        },
      });
  // The last resort in every mode: watching a service, no core installs it.
  if (shellRecovery) core?.eventLog.append({ node: null, kind: 'store_recovered', from: null, to: null, reason: `${shellRecovery.file} ${shellRecovery.reason}; original kept at ${shellRecovery.moved_to}` });
  if (core) core.guardProcess();
  else installLastResortHandlers({ log: (line) => console.error(line), record: () => {} });
  core?.monitor.events.on('settings', (settings) => (settingsStore.store = settings));

  // Permissions: none for the page (Electron grants all by default).
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details?.requestingUrl, appUrl)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin, appUrl));

  // Window: sandboxed, isolated, no Node, our page only.
  window = new BrowserWindow({
    ...restoreBounds(shellSettings.window_bounds, screen.getAllDisplays().map((d) => d.workArea)),
    show: !startsHidden(process.argv, process.platform, app.getLoginItemSettings()),
    title: 'MCP Cloud Orchestrator',
    icon: path.join(paths.iconsDir, 'icon.png'),
    webPreferences: { preload: paths.preload, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
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
  trackWindowBounds(window, (bounds) => saveShell({ window_bounds: bounds }));
  // Windows: a shutdown, restart or log-off emits no before-quit or will-quit (Electron docs/api/app.md);
  // the window's session-end does. The data-dir lock goes first (synchronous, so it is gone even if
  // Windows ends the process mid-cleanup), then the usual quit runs as far as it gets.
  window.on('session-end', () => {
    core?.lock.release();
    app.quit();
  });
  void window.loadURL(appUrl);

  // Tray and notifications, in the OS language.
  const text = createMainI18n(app.getLocale());
  const notifier = new Notifier((options) => new Notification(options), path.join(paths.iconsDir, 'icon.png'), showWindow);
  const notify = (notice: Parameters<typeof localNotice>[0]) => {
    if (shellSettings.notifications && Notification.isSupported()) notifier.show(localNotice(notice, text.t));
  };
  const tray = new TrayController(() => electronTray(paths.iconsDir), (action) => {
    switch (action.kind) {
      case 'open-node':
        return showWindow(action.id);
      case 'open-window':
        return showWindow();
      case 'quit':
        return app.quit();
    }
    if (!core) return watchedTrayAction(watching!, action);
    if (action.kind === 'check-now') void core.monitor.requestSweep();
    else if (action.kind === 'pause') core.monitor.pause(action.durationMs);
    else core.monitor.resume();
  }, undefined, undefined, text);
  if (process.env.MCO_E2E) (globalThis as { __mcoTray?: () => unknown }).__mcoTray = () => (tray.flush(), tray.shown);
  const push = (event: string, payload: unknown) => sendToPage(window, PUSH_CHANNEL, { event, payload });

  // IPC: one helper checks the sender and parses arguments with the shared schemas. The desktop's own
  // settings are answered here; everything else by the core, or by the watched service.
  const shellHandlers: Partial<ApiHandlers> = {
    // With why the REST API is not running, for the settings dialog (finding 3 of issue 33).
    'shell:settings': () => ({ ...shellSettings, rest_error: rest?.error ?? null }),
    'ssh:savePassphrase': ({ key_path, passphrase }) => {
      if (!core) throw new OrchestratorError('unavailable', `Passphrases are used by the service this app watches (${watching!.url}); it reads SSH_KEY_PASSPHRASE`, [{ field: 'passphrase', message: 'not stored in client mode' }]);
      const refusal = secretStorageRefusal(safeStorage, process.platform);
      if (refusal) throw new OrchestratorError('unavailable', refusal, [{ field: 'passphrase', message: 'no safe keychain to store it in' }]);
      secrets.set(key_path, safeStorage.encryptString(passphrase).toString('base64'));
      core.ssh.pool.closeAll(); // the next connection uses it
      return { saved: key_path };
    },
    'shell:updateSettings': (patch) => {
      saveShell(patch);
      startAtLogin(shellSettings.start_at_login);
      return shellSettings; // REST and MCP policy changes apply at the next start
    },
    // Settings → "Watch a service": checked (reachable, token accepted) and kept before the app
    // restarts in that mode; `url: null` restarts it with its own monitor and data.
    'shell:watchService': async (request) => {
      if (request.url !== null) {
        const refusal = secretStorageRefusal(safeStorage, process.platform, 'token');
        if (refusal) throw new OrchestratorError('unavailable', refusal, [{ field: 'token', message: 'no safe keychain to store it in' }]);
        const problem = await checkWatchable(request.url, request.token);
        if (problem) throw new OrchestratorError('validation_error', `Cannot watch ${request.url}: ${problem.message}`, [problem]);
        watchSecret.set('token', safeStorage.encryptString(request.token).toString('base64'));
      } else watchSecret.delete('token');
      saveShell({ watch_url: request.url });
      setTimeout(() => (app.relaunch(), app.quit()), 200); // after this answer reaches the window
      return { restarting: true, watching: request.url };
    },
  };
  registerIpcHandlers(ipcMain, core ? { ...createApiHandlers(core, 'desktop-ui'), ...shellHandlers } : watching!.handlers(shellHandlers), () => appUrl);
  startAtLogin(shellSettings.start_at_login);
  let mcpSocket: { close(): Promise<void> } | null = null;
  let rest: RestSupervisor | null = null;
  app.on('before-quit', () => (quitting = true));
  app.on('activate', () => showWindow());
  app.on('web-contents-created', (_event, contents) => contents.setWindowOpenHandler(() => ({ action: 'deny' })));

  if (watching) {
    // Client mode: tray, notifications and window follow the service over its web bridge.
    followWatchedService({ service: watching, tray, notify, push });
    installQuitCleanup(app, [
      ['tray', () => tray.destroy()],
      ['watched service', () => watching.close()],
    ]);
    return;
  }
  const localCore = core!;
  subscribePushEvents(localCore, push);
  // The core's alert policy decides (the same alerts go to the alert channels); here they are shown.
  localCore.alerts.events.on('alert', notify);
  localCore.monitor.events.on('status', (status) => tray.update(status));

  // Sleep: the monitor starts a grace period so waking up is not an alert storm.
  powerMonitor.on('resume', () => localCore.monitor.notifyResumeFromSleep());

  // Quit: the whole cleanup runs, bounded, before the process ends (lock released, socket removed).
  installQuitCleanup(app, [
    ['tray', () => tray.destroy()],
    ['mcp socket', () => mcpSocket?.close()],
    ['rest api', () => rest?.close()],
    ['core', () => localCore.close()],
  ]);

  // MCP for local agents: a 0600 socket in userData; destructive tools ask a person, one dialog at a
  // time, owned by the window (shown for it) so that it never blocks the process (confirm-queue.ts).
  const askTimeoutMs = Number(process.env.MCO_CONFIRM_TIMEOUT_S ?? 60) * 1000;
  const confirm = createConfirmQueue({
    parent: () => (showWindow(), window!),
    showMessageBox: (parent, options) => dialog.showMessageBox(parent, options),
    t: (key, values) => String(text.t(key as never, values as never)),
    onLateAnswer: (request) => notifier.show({ title: text.t('shell.confirmTitle'), body: `${request.tool}: ${text.t('shell.lateAnswer')}`, nodeId: null }),
    timeoutMs: askTimeoutMs,
  });
  mcpSocket = await serveOwnerSocket(
    localCore,
    async () => createMcpServerFactory(localCore, {
      version: app.getVersion(),
      policy: shellSettings.command_policy,
      readOnly: false,
      transport: 'desktop',
      confirm,
      askTimeoutMs,
    }),
    userData,
  );

  // Optional: the same REST API as headless, with the same guards; the shell passes version and paths.
  // A port in use (or any failure) leaves the app running without it, says why, and retries every minute.
  if (shellSettings.serve_rest_api) {
    const { startRestForCore } = await import('../server/embedded-rest');
    rest = new RestSupervisor({
      start: () => startRestForCore(localCore, { port: shellSettings.rest_port, version: app.getVersion(), webRoot: paths.webRoot, redocScript: paths.redocScript, swaggerUiDir: paths.swaggerUiDir }),
      onFailure: (message, retryInS) => {
        const reason = text.t('shell.restFailed', { port: shellSettings.rest_port, message, seconds: retryInS });
        localCore.monitor.logEvent({ node: null, kind: 'internal_error', from: null, to: null, reason });
        notifier.show({ title: text.t('shell.restFailedTitle'), body: reason, nodeId: null });
      },
      onStarted: (url) => console.log(`[rest] REST API on ${url}`),
      retryMs: Number(process.env.MCO_REST_RETRY_S ?? 60) * 1000,
    });
    await rest.start();
  }

  localCore.monitor.start();
}

// An MCP client's stdio bridge (`--mcp-bridge`): no window, no tray, no instance lock; this process
// only pipes its stdio to the running app's socket, and ends with it.
const bridgeTo = bridgeRequest(process.argv, path.join(app.getPath('userData'), 'mcp.sock'));
if (bridgeTo) {
  app.dock?.hide();
  bridgeStdioToSocket(bridgeTo).then(
    () => app.exit(0),
    (error: Error) => {
      process.stderr.write(`mcp-bridge: cannot reach ${bridgeTo}: ${error.message}. Is the app running?\n`);
      app.exit(1);
    },
  );
}
// One instance per user: a second launch hands over to the first and leaves at once. The listener is
// registered before any await, so a launch during start-up is not lost.
else if (!app.requestSingleInstanceLock()) {
  app.exit(0);
} else {
  app.on('second-instance', () => showWindow());
  main().catch((error) => {
    dialog.showErrorBox('MCP Cloud Orchestrator could not start', String(error?.message ?? error));
    app.exit(1);
  });
}
