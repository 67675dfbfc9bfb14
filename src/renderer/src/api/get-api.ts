import type { OrchestratorApi, ShellBridge } from '../../../shared/api-contract';
import { ApiError, createWebBridgeApi } from '../../../shared/bridge-client';
import { localizedError } from '../i18n/error-text';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the web bridge stands in. */
    api?: ShellBridge;
  }
}

/** The preload's envelopes turned back into results and ApiErrors. */
export function fromShellBridge(bridge: ShellBridge): OrchestratorApi {
  return {
    async invoke(channel, arg) {
      const envelope = await bridge.invoke(channel, arg);
      if (envelope.ok) return envelope.result;
      throw new ApiError(envelope.error);
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}

/** Every error the service answers is said in the window's language, in this one place for every form and view. */
function localized<T extends OrchestratorApi>(api: T): T {
  const invoke = ((channel, arg) =>
    api.invoke(channel, arg).catch((error: unknown) => {
      if (error instanceof ApiError) error.message = localizedError(error.payload);
      throw error;
    })) as OrchestratorApi['invoke'];
  return { ...api, invoke };
}

const TOKEN_KEY = 'mco-token';

/** Keeps a token pasted by the user for this session (the next start of the page uses it). */
export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/**
 * The token from the login URL, kept for the session and removed from the address bar. The service
 * prints it in the fragment (#token=…), which no request carries; ?token=… of older links still works.
 */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fragment = new URLSearchParams(url.hash.slice(1));
  const fromUrl = fragment.get('token') ?? url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    fragment.delete('token');
    const hash = fragment.toString();
    window.history.replaceState(null, '', url.pathname + url.search + (hash ? `#${hash}` : ''));
  }
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY);
}

export type ConnectionState = 'open' | 'closed' | 'unauthorized' | 'no-token';

/** `window.api` from the preload, or a web bridge client (disposed when the app unmounts). */
export function getApi(onConnection: (state: ConnectionState) => void): (OrchestratorApi & { dispose?(): void }) | null {
  if (window.api) {
    // The desktop app watching a service says when its link opens, is lost, or its token is refused.
    const dispose = window.api.on('connection', ({ state }) => state !== 'connecting' && onConnection(state));
    return localized({ ...fromShellBridge(window.api), dispose });
  }
  const token = takeToken();
  if (!token) {
    onConnection('no-token');
    return null;
  }
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return localized(createWebBridgeApi(`${scheme}://${window.location.host}/bridge`, token, onConnection));
}
