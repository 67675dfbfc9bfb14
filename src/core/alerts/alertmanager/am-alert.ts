import type { AlertEvent } from '../../../shared/schemas/alerts';

/** One alert in Alertmanager's API v2 (`POST /api/v2/alerts` takes a list of them). */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

/** Our alert names in Alertmanager, by the event that fires them. */
export const AM_ALERTNAMES = {
  node_down: 'NodeDown',
  monitor_offline: 'MonitorOffline',
  host_key_changed: 'HostKeyChanged',
  failover: 'FailoverAction',
  service_pending: 'ServicePending',
  service_rolled_back: 'ServiceRolledBack',
} as const satisfies Partial<Record<AlertEvent, string>>;
export type FiringEvent = keyof typeof AM_ALERTNAMES;

/**
 * What fires, as we keep it between sends (and across restarts). Node alerts carry the same labels
 * from every monitor, so Alertmanager sees two monitors' alerts as one and deduplicates them (as an
 * HA pair of Prometheus servers drops its replica label); the sender names itself in the annotations.
 * MonitorOffline is about the sender itself, so there `instance` is a label.
 */
export interface AmEntry {
  /** alertname/node (alertname/instance, alertname/service): one alert per key. */
  key: string;
  event: FiringEvent;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** Set once resolved: sent as endsAt for a while, so a peer that was away learns it too. */
  resolvedAt: string | null;
  /** One-off alerts (a changed host key, a failed failover) resolve by themselves then. */
  expiresAt: string | null;
}

export const entryKey = (alertname: string, subject: string): string => `${alertname}/${subject}`;

/** The alert as sent now: a firing one ends `holdMs` ahead unless resent, a resolved one ended when it resolved. */
export function toAmAlert(entry: AmEntry, now: number, holdMs: number): AmAlert {
  const ends = entry.resolvedAt ? Date.parse(entry.resolvedAt) : Math.min(now + holdMs, entry.expiresAt ? Date.parse(entry.expiresAt) : Infinity);
  return {
    labels: entry.labels,
    annotations: entry.annotations,
    startsAt: entry.startsAt,
    endsAt: new Date(ends).toISOString(),
    ...(entry.annotations.link ? { generatorURL: entry.annotations.link } : {}),
  };
}
