import { describe, expect, it } from 'vitest';
import { ABSENT_WHEN_NULL, HEALTH_KEYS, eachHealth, healthToColumns, type HealthDelta } from '../../src/shared/health-columns';
import { NodeHealthSchema, type NodeHealth } from '../../src/shared/schemas/health';

describe('health deltas as columns (the UIs\' health push)', () => {
  it('covers every field of NodeHealthSchema, and knows which ones are never null', () => {
    const shape = NodeHealthSchema.shape;
    expect([...HEALTH_KEYS].sort()).toEqual(Object.keys(shape).sort());
    const neverNull = Object.entries(shape).filter(([, field]) => !field.safeParse(null).success && field.safeParse(undefined).success).map(([key]) => key);
    expect([...ABSENT_WHEN_NULL].sort()).toEqual(neverNull.sort());
  });

  const fromColumns = (columns: ReturnType<typeof healthToColumns>): HealthDelta[] => {
    const deltas: HealthDelta[] = [];
    eachHealth(columns, (id, health) => deltas.push({ id, health }));
    return deltas;
  };

  it('gives back the deltas it was given, in order, each a valid NodeHealth', () => {
    const healths: NodeHealth[] = [
      { status: 'healthy', latency_ms: 1.25, checked_at: '2026-12-03T10:00:00.000Z', error: null, recent: '1101', uptime_24h: 0.75 },
      { status: 'unhealthy', latency_ms: null, checked_at: '2026-12-03T10:00:01.000Z', error: 'connection refused', last_known: true, recent: '', uptime_24h: null },
      { status: 'unknown', latency_ms: null, checked_at: null, error: null },
      { status: 'maintenance', latency_ms: 0, checked_at: null, error: '', last_known: false, uptime_24h: 0 },
    ];
    const deltas = healths.map((health, i) => ({ id: `n-${i}`, health }));
    const wire = JSON.parse(JSON.stringify(healthToColumns(deltas)));
    const back = fromColumns(wire);
    for (const { health } of back) expect(NodeHealthSchema.parse(health)).toEqual(health);
    // An absent uptime reads null, which the table shows the same way ("—").
    expect(back).toEqual(deltas.map((d) => ({ ...d, health: { uptime_24h: null, ...d.health } })));
    expect(fromColumns(healthToColumns([]))).toEqual([]);
  });
});
