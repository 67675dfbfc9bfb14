import WebSocket from 'ws';
import { BRIDGE_MAX_FRAME_BYTES } from '../../shared/schemas/push';

// How this process links to another service's web bridge: the desktop app watching a service, and a
// monitor following its peers.

/** The web bridge's address for a service's http(s) URL: ws(s)://host:port/…/bridge. */
export function bridgeUrlFor(serviceUrl: string): string {
  const url = new URL(serviceUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/bridge`;
  url.search = '';
  url.hash = '';
  return url.href;
}

/** ws refuses a frame past the cap before buffering it (1009); the browser's socket cannot, so bridge-client checks too. */
export class BoundedSocket extends WebSocket {
  constructor(url: string, protocols?: string[]) {
    super(url, protocols ?? [], { maxPayload: BRIDGE_MAX_FRAME_BYTES });
  }
}
