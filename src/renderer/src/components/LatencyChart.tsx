import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoryPoint } from '../../../shared/schemas/health';

/** Latency over time; failed checks are drawn as gaps with red marks on the axis. */
export function LatencyChart({ points, width = 420, height = 160 }: { points: HistoryPoint[]; width?: number; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const xs = points.map((p) => p.t / 1000);
    const ys = points.map((p) => p.latency_ms);
    const fails = points.map((p) => (p.ok ? null : 0));
    // Canvas cannot read CSS variables; resolve the theme's colours once per draw.
    const css = getComputedStyle(document.documentElement);
    const accent = css.getPropertyValue('--accent').trim() || '#2f6fde';
    const red = css.getPropertyValue('--state-unhealthy').trim() || '#d64545';
    const muted = css.getPropertyValue('--muted').trim() || '#687078';
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        scales: { x: { time: true } },
        axes: [{ stroke: muted }, { stroke: muted, label: 'ms', size: 50 }],
        series: [{}, { label: 'latency', stroke: accent, width: 1.5, spanGaps: false }, { label: 'failed', stroke: red, width: 0, points: { show: true, size: 6, fill: red } }],
      },
      [xs, ys as number[], fails as number[]],
      ref.current,
    );
    return () => plot.destroy();
  }, [points, width, height]);
  return <div ref={ref} className="chart" data-testid="latency-chart" data-points={points.length} />;
}
