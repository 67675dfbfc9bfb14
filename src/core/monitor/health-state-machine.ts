import type { HealthState } from '../../shared/schemas/node';

export interface HealthRecord {
  state: HealthState;
  /** The last settled state (never `degraded`): transitions are reported between settled states. */
  settled: HealthState;
  failures: number;
  successes: number;
}

export interface Thresholds {
  failure_threshold: number;
  recovery_threshold: number;
}

export const initialRecord = (state: HealthState = 'unknown'): HealthRecord => ({ state, settled: state, failures: 0, successes: 0 });

/**
 * Applies one check result. A failure first makes a healthy node `degraded`; only `failure_threshold`
 * consecutive failures make it `unhealthy`. An unhealthy node needs `recovery_threshold` consecutive
 * successes to be healthy again. `transition` is set only when the settled state changes, so a blip
 * under the threshold produces no event.
 */
export function applyCheck(record: HealthRecord, ok: boolean, t: Thresholds): { record: HealthRecord; transition?: { from: HealthState; to: HealthState } } {
  if (record.state === 'maintenance') return { record };
  const failures = ok ? 0 : record.failures + 1;
  const successes = ok ? record.successes + 1 : 0;
  let settled = record.settled;
  let state: HealthState;
  if (ok) {
    // A node never seen down is healthy at once; a down node must prove itself.
    if (settled === 'unhealthy' && successes < t.recovery_threshold) state = 'unhealthy';
    else state = settled = 'healthy';
  } else if (failures >= t.failure_threshold) {
    state = settled = 'unhealthy';
  } else {
    state = settled === 'unhealthy' ? 'unhealthy' : 'degraded';
  }
  const next: HealthRecord = { state, settled, failures, successes };
  return settled !== record.settled ? { record: next, transition: { from: record.settled, to: settled } } : { record: next };
}
