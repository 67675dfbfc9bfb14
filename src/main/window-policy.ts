/** Window and navigation decisions of the shell, kept free of Electron so they are tested in Node. */

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: Bounds = { x: 80, y: 60, width: 1280, height: 800 };
const MIN_VISIBLE = 80;

/** Closing the window hides it to the tray; only Quit (from the tray menu) ends the app. */
export function closeAction(quitting: boolean): 'hide' | 'close' {
  return quitting ? 'close' : 'hide';
}

/** The renderer may only ever show the app's own page. */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
    return target.origin === app.origin;
  } catch {
    return false;
  }
}

/** IPC is answered only for the app's own main frame. */
export function isTrustedSender(frame: { url: string; parent?: unknown } | null | undefined, appUrl: string): boolean {
  return Boolean(frame) && !frame!.parent && isAppUrl(frame!.url, appUrl);
}

/** Remembered bounds, moved back on screen if the display they were on is gone. */
export function restoreBounds(saved: Partial<Bounds> | undefined, displays: Bounds[]): Bounds {
  const b = { ...DEFAULT_BOUNDS, ...saved };
  if (![b.x, b.y, b.width, b.height].every(Number.isFinite) || b.width < 400 || b.height < 300) return DEFAULT_BOUNDS;
  const visible = displays.some((d) => b.x + b.width - MIN_VISIBLE > d.x && b.x + MIN_VISIBLE < d.x + d.width && b.y >= d.y - 10 && b.y + MIN_VISIBLE < d.y + d.height);
  if (visible) return b;
  const primary = displays[0] ?? DEFAULT_BOUNDS;
  return { ...b, x: primary.x + 40, y: primary.y + 40, width: Math.min(b.width, primary.width - 80), height: Math.min(b.height, primary.height - 80) };
}

/**
 * Web permissions the page may have: writing the clipboard (Copy in the Tokens panel), for the app's
 * own page only. Electron grants every permission by default (security checklist #5,
 * docs/tutorial/security.md); the page needs no camera, location, clipboard reading or web
 * notifications (desktop notifications come from the main process).
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);
export function permissionAllowed(permission: string, origin: string | undefined, appUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && origin !== undefined && isAppOrigin(origin, appUrl);
}

/** Whether a requesting origin (or URL) is the app's page: its origin, or file:// for a packaged page. */
function isAppOrigin(origin: string, appUrl: string): boolean {
  try {
    const app = new URL(appUrl);
    const asked = new URL(origin);
    return app.protocol === 'file:' ? asked.protocol === 'file:' && (asked.pathname === '/' || asked.pathname === app.pathname) : asked.origin === app.origin;
  } catch {
    return false;
  }
}
