import type { ClusterState } from '../../../shared/schemas/health';
import type { HealthState } from '../../../shared/schemas/node';

/** One colour per state, used by the header, the table and the chart (CSS variables in styles.css). */
export const stateColor = (state: HealthState | ClusterState): string => `var(--state-${state})`;
export const STATE_LABEL: Record<HealthState | ClusterState, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  unhealthy: 'Unhealthy',
  critical: 'Critical',
  unknown: 'Unknown',
  maintenance: 'Maintenance',
};

export function timeAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ago`;
}
