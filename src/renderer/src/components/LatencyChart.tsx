import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoryPoint } from '../../../shared/schemas/health';
import { formatNumber } from '../i18n/format';
import { AXIS_SPACE, chartData, latencyTickLabels, timeRange, timeTickLabels } from './latency-chart-model';

/**
 * Latency over time on a clipped scale. Failed checks are gaps in the line with red marks at the top
 * (never a point at 0 ms); spikes above the scale sit at the top as open marks.
 */
export function LatencyChart({ points, maxWidth = 420, height = 160 }: { points: HistoryPoint[]; maxWidth?: number; height?: number }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const data = useMemo(() => chartData(points), [points]);
  // As wide as the detail allows (a phone's is narrower than the chart's usual width).
  const [width, setWidth] = useState(maxWidth);
  useLayoutEffect(() => {
    const box = ref.current?.parentElement;
    if (!box) return;
    const fit = () => setWidth(Math.max(200, Math.min(maxWidth, Math.floor(box.clientWidth))));
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(box);
    return () => observer.disconnect();
  }, [maxWidth]);
  useEffect(() => {
    // Without a 2D canvas (a DOM without graphics) there is nothing to draw on; the caption still counts failures.
    if (!ref.current || !document.createElement('canvas').getContext('2d')) return;
    // Canvas cannot read CSS variables; resolve the theme's colours once per draw.
    const css = getComputedStyle(document.documentElement);
    const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    const accent = color('--accent', '#2f6fde');
    const red = color('--state-unhealthy', '#d64545');
    const muted = color('--muted', '#687078');
    const grid = color('--chart-grid', 'rgba(128, 128, 128, 0.35)');
    const locale = i18n.language === 'ko' ? 'ko-KR' : 'en-US';
    const span = timeRange(data.xs);
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        // Room on the right for the last time label, which is centred on its tick.
        padding: [8, 36, 0, 0],
        scales: { x: { time: true, ...(span ? { range: span } : {}) }, y: { range: [0, data.top] } },
        axes: [
          // One short label per tick, at least AXIS_SPACE apart: labels never overlap.
          { ...axis, space: AXIS_SPACE.x, values: (_u, ticks) => timeTickLabels(ticks, locale) },
          { ...axis, space: AXIS_SPACE.y, size: 56, label: t('chart.ms'), labelSize: 14, values: (_u, ticks) => latencyTickLabels(ticks, locale) },
        ],
        series: [
          {},
          { label: t('chart.latency'), stroke: accent, width: 1.5, spanGaps: false },
          { label: t('chart.failed'), stroke: red, width: 0, points: { show: true, size: 7, fill: red, stroke: red } },
          { label: t('chart.offScale'), stroke: accent, width: 0, points: { show: true, size: 7, fill: 'transparent', stroke: accent } },
        ],
      },
      [data.xs, data.ys, data.failures, data.clipped] as uPlot.AlignedData,
      ref.current,
    );
    return () => plot.destroy();
    // i18n.language: labels follow a language change.
  }, [data, points.length, width, height, t, i18n.language]);
  return (
    <figure className="chart-figure">
      <div ref={ref} className="chart" data-testid="latency-chart" data-points={points.length} data-top={data.top} role="img" aria-label={t('chart.label', { count: points.length })} />
      <figcaption className="muted">
        {data.failedCount > 0 && <span className="chart-failed">{t('chart.failedCount', { count: data.failedCount })}</span>}
        {data.clippedCount > 0 && <span> {t('chart.clippedCount', { count: data.clippedCount, top: formatNumber(data.top) })}</span>}
      </figcaption>
    </figure>
  );
}
