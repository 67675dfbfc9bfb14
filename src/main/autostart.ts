import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP_FILE } from './app-identity';

export const HIDDEN_FLAG = '--hidden';

export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

export interface AutostartContext {
  platform: NodeJS.Platform;
  app: LoginItemApp;
  /** The command that starts this app: the executable (the AppImage when run from one) and, unpackaged, the app dir. */
  command: string[];
  /** $XDG_CONFIG_HOME, else ~/.config. */
  configDir: string;
}

/** The XDG autostart path Linux desktops read at login. */
export function autostartFile(configDir: string): string {
  return path.join(configDir, 'autostart', DESKTOP_FILE);
}

// Desktop Entry spec: arguments with reserved characters are double-quoted, with \ " ` $ escaped.
const quoteArg = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`);

export function autostartEntry(command: string[]): string {
  return ['[Desktop Entry]', 'Type=Application', 'Name=MCP Cloud Orchestrator', `Exec=${[...command, HIDDEN_FLAG].map(quoteArg).join(' ')}`, 'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n');
}

/**
 * Start at login, hidden in the tray. Electron's login items exist on macOS and Windows only; on
 * Linux the XDG autostart entry is the mechanism.
 */
export function applyStartAtLogin(enabled: boolean, context: AutostartContext): void {
  if (context.platform !== 'linux') {
    context.app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
    return;
  }
  const file = autostartFile(context.configDir);
  if (!enabled) return fs.rmSync(file, { force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, autostartEntry(context.command));
}

/** Start hidden when launched at login: `--hidden` (Windows, Linux), or macOS's own flag (login items take no arguments there). */
export function startsHidden(argv: string[], platform: NodeJS.Platform, loginItem: { wasOpenedAtLogin?: boolean } | undefined): boolean {
  return argv.includes(HIDDEN_FLAG) || (platform === 'darwin' && loginItem?.wasOpenedAtLogin === true);
}
