import type { ReactElement } from 'react';
import { formatPercent } from '../i18n/format';
import { fastT, fixedT } from '../i18n/fast-t';

/** The last checks as a strip of bars, oldest first (green passed, red failed), and 24 h uptime. */
export function HeartbeatStrip({ recent, uptime }: { recent?: string; uptime?: number | null }) {
  const bars = recent ?? '';
  // Every row in view is drawn again after every sweep: one pass, no intermediate arrays.
  const marks = new Array<ReactElement>(bars.length);
  let failed = 0;
  for (let i = 0; i < bars.length; i++) {
    const ok = bars.charCodeAt(i) === 49; // '1'
    if (!ok) failed++;
    marks[i] = <i key={i} className={ok ? 'ok' : 'fail'} />;
  }
  return (
    <span className="heartbeat" title={fastT('table.heartbeat', { count: bars.length, failed })} data-recent={bars}>
      <span className="bars" aria-hidden>
        {marks}
      </span>
      <span className="pct mono">{formatUptime(uptime)}</span>
    </span>
  );
}

export function formatUptime(uptime: number | null | undefined): string {
  if (uptime === null || uptime === undefined) return fixedT('time.never');
  return formatPercent(uptime, uptime === 1 ? 0 : 1);
}
