import type { PushEvents } from './api-contract';
import type { NodeHealth } from './schemas/health';

// The health push carries every node after every sweep. Over the web bridge it travels as columns
// (one array per field) rather than 5,000 objects with the same keys: a third of the JSON, which the
// browser parses in a third of the time (tests/shared/health-columns.test.ts keeps this in step with
// NodeHealthSchema).

type HealthDeltas = PushEvents['health'];
export type HealthColumns = { id: string[] } & { [K in keyof NodeHealth]-?: Array<NodeHealth[K] | null> };

export const HEALTH_KEYS = ['status', 'latency_ms', 'checked_at', 'error', 'last_known', 'recent', 'uptime_24h'] as const satisfies ReadonlyArray<keyof NodeHealth>;
/** Optional but never null: a null in their column means the field was absent, and healthFromColumns reads it as undefined. */
export const ABSENT_WHEN_NULL: ReadonlySet<keyof NodeHealth> = new Set(['last_known', 'recent']);

export function healthToColumns(deltas: HealthDeltas): HealthColumns {
  const columns = { id: deltas.map((d) => d.id) } as HealthColumns;
  for (const key of HEALTH_KEYS) (columns[key] as unknown[]) = deltas.map((d) => d.health[key] ?? null);
  return columns;
}

export function healthFromColumns(columns: HealthColumns): HealthDeltas {
  const { id, status, latency_ms, checked_at, error, last_known, recent, uptime_24h } = columns;
  const deltas: HealthDeltas = new Array(id.length);
  // One object literal per node, all fields in one order (one hidden class); an absent field reads undefined.
  for (let i = 0; i < id.length; i++) {
    const health: NodeHealth = {
      status: status[i]!,
      latency_ms: latency_ms[i],
      checked_at: checked_at[i],
      error: error[i],
      last_known: last_known[i] ?? undefined,
      recent: recent[i] ?? undefined,
      uptime_24h: uptime_24h[i],
    };
    deltas[i] = { id: id[i], health };
  }
  return deltas;
}
