import { formatPercent } from '../i18n/format';
import { fastT, fixedT } from '../i18n/fast-t';

/** The last checks as a strip of bars, oldest first (green passed, red failed), and 24 h uptime. */
export function HeartbeatStrip({ recent, uptime }: { recent?: string; uptime?: number | null }) {
  const bars = recent ?? '';
  const failed = [...bars].filter((c) => c === '0').length;
  return (
    <span className="heartbeat" title={fastT('table.heartbeat', { count: bars.length, failed })} data-recent={bars}>
      <span className="bars" aria-hidden>
        {[...bars].map((c, i) => (
          <i key={i} className={c === '1' ? 'ok' : 'fail'} />
        ))}
      </span>
      <span className="pct mono">{formatUptime(uptime)}</span>
    </span>
  );
}

export function formatUptime(uptime: number | null | undefined): string {
  if (uptime === null || uptime === undefined) return fixedT('time.never');
  return formatPercent(uptime, uptime === 1 ? 0 : 1);
}
