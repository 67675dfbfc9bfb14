import { fastT, fixedT } from '../i18n/fast-t';
import { useNow } from '../store/clock';
import { useClusterStore } from '../store/cluster-store';
import { formatAgo, formatDateTime } from '../i18n/format';

/** Data older than this many check intervals is stale. */
export const STALE_INTERVALS = 2;

export function isStale(iso: string, now: number, intervalS: number, connected: boolean): boolean {
  return !connected || now - Date.parse(iso) > STALE_INTERVALS * intervalS * 1000;
}

/**
 * A relative time that ticks ("3 s ago", "4 s ago", …). Older than two check intervals, or while the
 * service is unreachable, it is greyed out and says it is stale.
 */
export function Ago({ iso, empty, testId }: { iso: string | null; empty: string; testId?: string }) {
  const now = useNow();
  const intervalS = useClusterStore((s) => s.intervalS);
  const connected = useClusterStore((s) => s.connection === 'open');
  if (!iso) return <span className="ago muted" data-testid={testId}>{empty}</span>;
  const ago = formatAgo(iso, now);
  const stale = isStale(iso, now, intervalS, connected);
  // Only a stale time explains itself on hover; a fresh one needs no date formatted each second.
  // Texts through the cached helpers, not useTranslation: one Ago per row in view ticks every second.
  const title = !stale ? undefined : connected ? fastT('clock.staleTitle', { ago, at: formatDateTime(iso) }) : fastT('clock.disconnectedTitle', { ago });
  return (
    <span className={stale ? 'ago stale' : 'ago'} data-stale={stale} title={title} data-testid={testId}>
      {ago}
      {stale && <span className="stale-mark">{fixedT('clock.stale')}</span>}
    </span>
  );
}
