import { useEffect } from 'react';
import type { TFunction } from 'i18next';
import type { ClusterStatus } from '../../../shared/schemas/health';
import { useClusterStore } from '../store/cluster-store';
import { formatTime } from '../i18n/format';
import { i18n } from '../i18n/setup-i18n';
import { STATE_HEX } from './state-colors';

type Summary = Omit<ClusterStatus, 'nodes'>;

/** The tab's title carries the cluster's state, so a background tab still tells the truth. */
export function pageTitle(status: Summary | null, t: TFunction, time: (iso: string) => string = formatTime, linked = true): string {
  const name = t('app.name');
  if (!status) return name;
  if (!linked) return t('page.linkLost', { name }); // what it last said may no longer be true
  const { monitor } = status;
  if (monitor.paused) return monitor.paused_until ? t('page.pausedUntil', { name, time: time(monitor.paused_until) }) : t('page.paused', { name });
  if (monitor.offline) return t('page.offline', { name });
  if (status.unhealthy_nodes > 0) return t('page.title', { name, count: status.unhealthy_nodes });
  if (status.degraded_nodes > 0) return t('page.degraded', { name, count: status.degraded_nodes });
  return name;
}

/** The favicon's colour: grey while paused, offline or without a link to the service, else the cluster state's. */
export function faviconColour(status: Summary | null, linked = true): string {
  if (!status || !linked || status.monitor.paused || status.monitor.offline) return STATE_HEX.unknown;
  return STATE_HEX[status.state];
}

/** A round icon in one colour, as a data: URL (the page's CSP allows data: images). */
export const faviconHref = (colour: string): string =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${colour}"/></svg>`)}`;

/** Keeps document.title and the favicon in step with the cluster status. */
export function usePageStatus(): void {
  const status = useClusterStore((s) => s.status);
  const linked = useClusterStore((s) => s.connection !== 'closed');
  useEffect(() => {
    document.title = pageTitle(status, i18n.t, formatTime, linked);
    let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) {
      link = document.createElement('link');
      link.rel = 'icon';
      document.head.appendChild(link);
    }
    const colour = faviconColour(status, linked);
    const href = faviconHref(colour);
    if (link.getAttribute('href') !== href) link.setAttribute('href', href);
    link.dataset.colour = colour;
  }, [status, linked]);
}
