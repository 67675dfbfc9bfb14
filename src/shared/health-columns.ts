import type { NodeHealth } from './schemas/health';

// The health push carries every node after every sweep. To the UIs (Electron IPC and the web bridge)
// it travels as columns, one array per field, rather than 5,000 objects with the same keys: a third of
// the JSON, parsed or cloned in a third of the time, and no wrapper object per node on arrival
// (tests/shared/health-columns.test.ts keeps this in step with NodeHealthSchema).

export type HealthDelta = { id: string; health: NodeHealth };
export type HealthColumns = { id: string[] } & { [K in keyof NodeHealth]-?: Array<NodeHealth[K] | null> };

export const HEALTH_KEYS = ['status', 'latency_ms', 'checked_at', 'error', 'error_code', 'error_params', 'last_known', 'recent', 'uptime_24h', 'vantage', 'quorum'] as const satisfies ReadonlyArray<keyof NodeHealth>;
/** Optional but never null: a null in their column means the field was absent, and healthAt reads it as undefined. */
export const ABSENT_WHEN_NULL: ReadonlySet<keyof NodeHealth> = new Set(['error_code', 'error_params', 'last_known', 'recent', 'vantage', 'quorum']);

export function healthToColumns(deltas: HealthDelta[]): HealthColumns {
  const columns = { id: deltas.map((d) => d.id) } as HealthColumns;
  for (const key of HEALTH_KEYS) (columns[key] as unknown[]) = deltas.map((d) => d.health[key] ?? null);
  return columns;
}

/** The health in row `row`. One object literal, all fields in one order (one hidden class); an absent field reads undefined. */
export function healthAt(columns: HealthColumns, row: number): NodeHealth {
  return {
    status: columns.status[row]!,
    latency_ms: columns.latency_ms[row],
    checked_at: columns.checked_at[row],
    error: columns.error[row],
    error_code: columns.error_code[row] ?? undefined,
    error_params: columns.error_params[row] ?? undefined,
    last_known: columns.last_known[row] ?? undefined,
    recent: columns.recent[row] ?? undefined,
    uptime_24h: columns.uptime_24h[row],
    vantage: columns.vantage[row] ?? undefined,
    quorum: columns.quorum[row] ?? undefined,
  };
}

/** Calls `visit` with each node's id and health, in order. */
export function eachHealth(columns: HealthColumns, visit: (id: string, health: NodeHealth) => void): void {
  for (let i = 0; i < columns.id.length; i++) visit(columns.id[i], healthAt(columns, i));
}
