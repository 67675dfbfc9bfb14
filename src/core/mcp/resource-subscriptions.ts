import { ResourceNotFoundError, type McpServer } from '@modelcontextprotocol/server';
import type { Core } from '../app-core';

export const CLUSTER_STATUS_URI = 'cluster://status';
const NODE_URI = /^node:\/\/(.+)$/;

/**
 * resources/subscribe on `cluster://status` and `node://{id}`, for sessions that stay open (stdio
 * and the sockets). A node's state change marks its resource and the cluster's as changed; they are
 * announced once when the sweep (or the single check) that changed them ends, so a subscriber hears
 * at most once per sweep, and nothing when nothing changed. Latency alone is not a change.
 * A node's own fields (maintenance, a mute, an edit) are announced at once.
 */
export function serveResourceSubscriptions(server: McpServer, core: Core): void {
  const subscribed = new Set<string>();
  const changed = new Set<string>();
  let offs: Array<() => void> = [];

  server.server.setRequestHandler('resources/subscribe', async (request) => {
    const uri = request.params.uri;
    const id = NODE_URI.exec(uri)?.[1];
    if (uri !== CLUSTER_STATUS_URI && !(id && core.registry.get(id))) throw new ResourceNotFoundError(uri, `No resource ${uri} to subscribe to: cluster://status or node://{id} of a registered node`);
    subscribed.add(uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });

  const announce = (uris: Iterable<string>) => {
    for (const uri of uris) if (subscribed.has(uri)) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  };
  const flush = () => {
    announce(changed);
    changed.clear();
  };

  const { oninitialized, onclose } = server.server;
  server.server.oninitialized = () => {
    if (offs.length === 0) {
      offs = [
        core.monitor.events.on('event', (event) => {
          if (event.kind !== 'transition' || !event.node) return;
          changed.add(`node://${event.node}`).add(CLUSTER_STATUS_URI);
        }),
        // 'status' follows every sweep and every single change to the summary: the end of a round.
        core.monitor.events.on('status', flush),
        core.registry.events.on('change', (change) => {
          if (change.type === 'updated') announce([`node://${change.node.id}`]);
          if (change.type === 'removed') subscribed.delete(`node://${change.node.id}`);
        }),
      ];
    }
    oninitialized?.();
  };
  server.server.onclose = () => {
    for (const off of offs) off();
    offs = [];
    onclose?.();
  };
}
