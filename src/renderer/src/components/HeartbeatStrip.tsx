import type { CSSProperties } from 'react';
import { formatPercent } from '../i18n/format';
import { fastT, fixedT } from '../i18n/fast-t';

/** Bar width and pitch in SVG units (CSS pixels at the default width). */
const BAR = 3;
const PITCH = 4;

/**
 * The last checks as a strip of bars, oldest first (green passed, red failed), and 24 h uptime.
 * Every row in view is drawn again after every sweep, so the bars are two SVG paths (passed, failed),
 * not an element each: 2 nodes to update per row instead of 30.
 */
export function HeartbeatStrip({ recent, uptime }: { recent?: string; uptime?: number | null }) {
  const bars = recent ?? '';
  let ok = '';
  let fail = '';
  let failed = 0;
  for (let i = 0; i < bars.length; i++) {
    const bar = `M${i * PITCH} 0h${BAR}v12h-${BAR}z`;
    if (bars.charCodeAt(i) === 49) ok += bar; // '1'
    else {
      fail += bar;
      failed++;
    }
  }
  const width = Math.max(0, bars.length * PITCH - (PITCH - BAR));
  return (
    <span className="heartbeat" title={fastT('table.heartbeat', { count: bars.length, failed })}>
      <svg className="bars" aria-hidden viewBox={`0 0 ${width} 12`} preserveAspectRatio="none" style={{ '--bars': bars.length } as CSSProperties}>
        <path className="ok" d={ok} />
        <path className="fail" d={fail} />
      </svg>
      <span className="pct mono">{formatUptime(uptime)}</span>
    </span>
  );
}

export function formatUptime(uptime: number | null | undefined): string {
  if (uptime === null || uptime === undefined) return fixedT('time.never');
  return formatPercent(uptime, uptime === 1 ? 0 : 1);
}
