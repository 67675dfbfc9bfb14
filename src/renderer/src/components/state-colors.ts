import type { ClusterState } from '../../../shared/schemas/health';
import type { HealthState } from '../../../shared/schemas/node';
import { i18n } from '../i18n/setup-i18n';
import { formatAgo } from '../i18n/format';

type AnyState = HealthState | ClusterState;

/** One colour per state, used by the header, the table and the chart (CSS variables in styles.css). */
export const stateColor = (state: AnyState): string => `var(--state-${state})`;

/** The same colours as literal values, for places outside the page's CSS (the favicon). */
export const STATE_HEX: Record<AnyState, string> = {
  healthy: '#2e9d4f',
  degraded: '#d99a00',
  unhealthy: '#d64545',
  critical: '#d64545',
  unknown: '#8a9099',
  maintenance: '#7b68c8',
};

/** "12 s ago" in the UI's language; "—" without a time. Components that stay on screen use <Ago>, which ticks. */
export function timeAgo(iso: string | null, now = Date.now()): string {
  return iso ? formatAgo(iso, now) : i18n.t('time.never');
}
