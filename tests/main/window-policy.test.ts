import { describe, expect, it } from 'vitest';
import { closeAction, DEFAULT_BOUNDS, isAppUrl, isTrustedSender, permissionAllowed, restoreBounds } from '../../src/main/window-policy';

const FILE_APP = 'file:///opt/app/out/renderer/index.html';
const DEV_APP = 'http://localhost:5173/';

describe('window policy', () => {
  it('hides on close unless quitting', () => {
    expect(closeAction(false)).toBe('hide');
    expect(closeAction(true)).toBe('close');
  });

  it('allows only the app page as a navigation target', () => {
    expect(isAppUrl('file:///opt/app/out/renderer/index.html#x', FILE_APP)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', FILE_APP)).toBe(false);
    expect(isAppUrl('https://evil.example/', FILE_APP)).toBe(false);
    expect(isAppUrl('http://localhost:5173/some/route', DEV_APP)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', DEV_APP)).toBe(false);
    expect(isAppUrl('not a url', DEV_APP)).toBe(false);
  });

  it('trusts only the app main frame as an IPC sender', () => {
    expect(isTrustedSender({ url: FILE_APP }, FILE_APP)).toBe(true);
    expect(isTrustedSender({ url: FILE_APP, parent: {} }, FILE_APP)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/' }, FILE_APP)).toBe(false);
    expect(isTrustedSender(null, FILE_APP)).toBe(false);
  });

  it('restores remembered bounds, and brings them back on screen when their display is gone', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(restoreBounds({ x: 100, y: 100, width: 1000, height: 700 }, displays)).toEqual({ x: 100, y: 100, width: 1000, height: 700 });
    expect(restoreBounds({ x: 3000, y: 100, width: 1000, height: 700 }, displays)).toEqual({ x: 40, y: 40, width: 1000, height: 700 });
    expect(restoreBounds(undefined, displays)).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ width: 10, height: 10, x: 0, y: 0 }, displays)).toEqual(DEFAULT_BOUNDS);
  });
});

// Issue 39, finding 15: Copy in the Tokens panel needs clipboard-sanitized-write, for the app's own page only.
describe('web permissions', () => {
  it('allows writing the clipboard from the app page only, and nothing else', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'file:///', 'file:///opt/app/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'http://localhost:5173', 'http://localhost:5173/')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example', 'http://localhost:5173/')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', undefined, 'http://localhost:5173/')).toBe(false);
    for (const other of ['clipboard-read', 'media', 'geolocation', 'notifications']) expect(permissionAllowed(other, 'file:///', 'file:///x/index.html')).toBe(false);
  });
});
