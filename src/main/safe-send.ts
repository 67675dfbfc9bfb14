/** The little of a BrowserWindow needed to message its page. */
export interface MessageTarget {
  isDestroyed(): boolean;
  webContents: { isDestroyed(): boolean; send(channel: string, ...args: unknown[]): void };
}

/** Sends to the page unless the window or its contents are gone (during quit, events still arrive). */
export function sendToPage(window: MessageTarget | null, channel: string, ...args: unknown[]): boolean {
  if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return false;
  window.webContents.send(channel, ...args);
  return true;
}
