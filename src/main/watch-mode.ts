import { PUSH_EVENTS, type PushEventName, type PushEvents } from '../shared/api-contract';
import type { AlertNotice } from '../shared/schemas/alerts';
import { scopeAllows } from '../shared/schemas/auth';
import type { TrayAction } from './tray-presentation';
import type { TrayController } from './tray-controller';
import type { WatchedService } from './watched-service';
import { throttleNotices } from './notice-throttle';

export interface FollowOptions {
  service: WatchedService;
  tray: Pick<TrayController, 'update' | 'setView'>;
  /** Each alert the service decided, once, as it happens (none are replayed after a reconnect). */
  notify: (alert: AlertNotice) => void;
  /** Pushes to the window, including the link's state as `connection`. */
  push: <E extends PushEventName>(event: E, payload: PushEvents[E]) => void;
  log?: (line: string) => void;
}

/**
 * Client mode: the tray, the notifications and the window follow a watched service. While the link
 * is down the tray is grey and says since when; when it is back, the service's current status and
 * the token's scope are read before anything is shown as live again.
 */
export function followWatchedService({ service, tray, notify, push, log = console.error }: FollowOptions): () => void {
  const { api } = service;
  const refresh = async () => {
    const [status, who] = await Promise.all([api.invoke('cluster:status', { include_nodes: false }), api.invoke('auth:whoami', {})]);
    tray.update(status);
    tray.setView({ link: null, canOperate: scopeAllows(who.scope, 'operator') });
  };
  // Pushes arrive checked against the shared schemas (bridge-client.ts); notifications keep local mode's pace.
  const notices = throttleNotices(notify);
  const offs = [
    ...PUSH_EVENTS.filter((event) => event !== 'connection').map((event) => api.on(event, (payload) => push(event, payload as never))),
    api.on('status', (status) => tray.update(status)),
    api.on('alert', (alert) => notices.push(alert)),
    () => notices.close(),
    service.events.on('link', (link) => {
      push('connection', link);
      if (link.state === 'open') void refresh().catch((error: Error) => log(`[watch] ${service.url}: ${error.message}`));
      else tray.setView({ link: { problem: link.state === 'unauthorized' ? 'refused' : 'unreachable', since: link.since } });
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** A tray action carried out on the watched service (what the token's scope allows is in the menu). */
export function watchedTrayAction(service: WatchedService, action: TrayAction, log: (line: string) => void = console.error): void {
  const failed = (error: Error) => log(`[watch] ${action.kind}: ${error.message}`);
  if (action.kind === 'check-now') void service.api.invoke('cluster:checkNow', {}).catch(failed);
  else if (action.kind === 'pause') void service.api.invoke('cluster:pause', action.durationMs === undefined ? {} : { duration_s: action.durationMs / 1000 }).catch(failed);
  else if (action.kind === 'resume') void service.api.invoke('cluster:resume', {}).catch(failed);
}
