import { fastT, fixedT } from '../i18n/fast-t';
import { useNow } from '../store/clock';
import { useClusterStore } from '../store/cluster-store';
import { formatAgo, formatDateTime } from '../i18n/format';

/** Data older than this many check intervals is stale. */
export const STALE_INTERVALS = 2;

/**
 * A relative time that ticks ("3 s ago", "4 s ago", …). Older than two check intervals, or while the
 * service is unreachable, it is greyed out and says it is stale.
 */
export function Ago({ iso, empty, testId }: { iso: string | null; empty: string; testId?: string }) {
  const now = useNow();
  // One subscription per row in view, not two: the age past which a time is stale, 0 while unreachable.
  const staleAfterMs = useClusterStore((s) => (s.connection === 'open' ? STALE_INTERVALS * s.intervalS * 1000 : 0));
  if (!iso) return <span className="ago muted" data-testid={testId}>{empty}</span>;
  const ago = formatAgo(iso, now);
  const connected = staleAfterMs > 0;
  const stale = !connected || now - Date.parse(iso) > staleAfterMs;
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
