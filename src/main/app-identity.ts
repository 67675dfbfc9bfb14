/** The app's identity towards the OS. APP_ID equals electron-builder.yml's appId (tests/main check it). */
export const APP_ID = 'dev.mcp-cloud-orchestrator.app';
/** package.json's desktopName: Linux links windows and notifications to this launcher entry. */
export const DESKTOP_FILE = 'mcp-cloud-orchestrator.desktop';
/** The X11 window class: electron-builder writes the desktop file's StartupWMClass from desktopName. */
export const WM_CLASS = DESKTOP_FILE.replace(/\.desktop$/, '');

export interface IdentityApp {
  setAppUserModelId(id: string): void;
  getPath(name: 'userData'): string;
  setPath(name: 'userData', path: string): void;
  setName(name: string): void;
}

/**
 * Windows shows toasts only for an app with an AppUserModelId matching its Start-menu shortcut.
 * On Linux, Electron 40 sets X11's WM_CLASS from the app's name ("MCP Cloud Orchestrator"), which the
 * desktop file's StartupWMClass ("mcp-cloud-orchestrator") does not match, so the dock shows a second
 * icon: the name becomes the window class, and userData stays where the product name put it.
 */
export function applyAppIdentity(app: IdentityApp, platform: NodeJS.Platform): void {
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
  if (platform === 'linux') {
    app.setPath('userData', app.getPath('userData'));
    app.setName(WM_CLASS);
  }
}
