import type { HistoryPoint } from '../../../shared/schemas/health';

/**
 * What the latency chart draws, apart from the canvas: so the scale, the failure marks and the
 * tick spacing can be tested without a browser.
 */
export interface ChartData {
  xs: number[];
  /** Latency per point, cut at `top`; null where the check failed (a gap, never 0). */
  ys: Array<number | null>;
  /** Failed checks, drawn as marks at the top of the chart. */
  failures: Array<number | null>;
  /** Points above `top`, drawn at the top as "off the scale". */
  clipped: Array<number | null>;
  /** Top of the y scale. */
  top: number;
  failedCount: number;
  clippedCount: number;
}

/** Nearest value at fraction q of sorted numbers. */
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];

/** A round number at or above n (1, 2, 5 × 10^k), so the axis reads cleanly. */
export function niceCeil(n: number): number {
  if (!(n > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * pow >= n) return step * pow;
  return 10 * pow;
}

/**
 * A clipped scale: the top is set by the bulk of the checks (3 × the 90th percentile) when a few
 * spikes reach far above it, so one slow check does not flatten the rest; those spikes are drawn
 * at the top and counted.
 */
export function chartData(points: HistoryPoint[]): ChartData {
  const latencies = points.filter((p) => p.ok && p.latency_ms !== null).map((p) => p.latency_ms as number);
  const sorted = [...latencies].sort((a, b) => a - b);
  const max = sorted.at(-1) ?? 0;
  const p90 = sorted.length ? quantile(sorted, 0.9) : 0;
  const top = niceCeil(max > 3 * p90 && sorted.length >= 5 ? 3 * p90 : max * 1.1);
  const xs = points.map((p) => p.t / 1000);
  const ys = points.map((p) => (p.ok && p.latency_ms !== null ? Math.min(p.latency_ms, top) : null));
  const clipped = points.map((p) => (p.ok && p.latency_ms !== null && p.latency_ms > top ? top : null));
  const failures = points.map((p) => (p.ok ? null : top));
  return {
    xs,
    ys,
    failures,
    clipped,
    top,
    failedCount: failures.filter((f) => f !== null).length,
    clippedCount: clipped.filter((c) => c !== null).length,
  };
}

/** Minimum pixels between axis labels: wide enough for the longest label ("12:13:05 AM"), so none overlap. */
export const AXIS_SPACE = { x: 96, y: 28 } as const;

/** Time labels for x ticks (seconds): with seconds when ticks are less than a minute apart, so no two read the same. */
/**
 * The time axis' range when the data spans no time (one check, or several at one second): a minute
 * either side, so its ticks read the check's time (left to itself the axis starts at 1970, "12:00 AM").
 * Undefined otherwise: the axis follows the data.
 */
export function timeRange(xs: number[]): [number, number] | undefined {
  if (xs.length === 0) return undefined;
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return max - min < 1 ? [min - 60, max + 60] : undefined;
}

export function timeTickLabels(ticks: number[], locale: string): string[] {
  const step = ticks.length > 1 ? Math.min(...ticks.slice(1).map((t, i) => t - ticks[i])) : 3600;
  const format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', ...(step < 60 ? { second: '2-digit' } : {}) });
  return ticks.map((t) => format.format(new Date(t * 1000)));
}

/** Latency labels for y ticks: as many decimals as the step needs, so no two read the same. */
export function latencyTickLabels(ticks: number[], locale: string): string[] {
  const step = ticks.length > 1 ? Math.min(...ticks.slice(1).map((t, i) => Math.abs(t - ticks[i]))) : 1;
  const digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step) - 1e-9));
  const format = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return ticks.map((v) => format.format(v));
}

/** Tick values never closer than AXIS_SPACE: how many labels fit along `px` pixels. */
export const maxLabels = (px: number, axis: 'x' | 'y'): number => Math.max(2, Math.floor(px / AXIS_SPACE[axis]));
