/** The app's identity towards the OS. APP_ID equals electron-builder.yml's appId (tests/main check it). */
export const APP_ID = 'dev.mcp-cloud-orchestrator.app';
/** package.json's desktopName: Linux links windows and notifications to this launcher entry. */
export const DESKTOP_FILE = 'mcp-cloud-orchestrator.desktop';

/** Windows shows toasts only for an app with an AppUserModelId matching its Start-menu shortcut. */
export function applyAppIdentity(app: { setAppUserModelId(id: string): void }, platform: NodeJS.Platform): void {
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
}
