import { describe, expect, it } from 'vitest';
import { applyCheck, initialRecord, type HealthRecord } from '../../../src/core/monitor/health-state-machine';

const run = (results: boolean[], t = { failure_threshold: 2, recovery_threshold: 2 }, start: HealthRecord = initialRecord()) => {
  let record = start;
  const states: string[] = [];
  const transitions: string[] = [];
  for (const ok of results) {
    const step = applyCheck(record, ok, t);
    record = step.record;
    states.push(record.state);
    if (step.transition) transitions.push(`${step.transition.from}->${step.transition.to}`);
  }
  return { states, transitions };
};

describe('health state machine', () => {
  it('goes unknown -> healthy on the first success', () => {
    expect(run([true])).toEqual({ states: ['healthy'], transitions: ['unknown->healthy'] });
  });

  it('treats a blip under the failure threshold as degraded with no event', () => {
    expect(run([true, false, true])).toEqual({ states: ['healthy', 'degraded', 'healthy'], transitions: ['unknown->healthy'] });
  });

  it('marks unhealthy after the failure threshold and recovers after the recovery threshold', () => {
    expect(run([true, false, false, true, true, false, true, true])).toEqual({
      states: ['healthy', 'degraded', 'unhealthy', 'unhealthy', 'healthy', 'degraded', 'healthy', 'healthy'],
      transitions: ['unknown->healthy', 'healthy->unhealthy', 'unhealthy->healthy'],
    });
  });

  it('needs consecutive successes: a failure resets the recovery count', () => {
    const { transitions } = run([false, false, true, false, true, true], { failure_threshold: 2, recovery_threshold: 2 });
    expect(transitions).toEqual(['unknown->unhealthy', 'unhealthy->healthy']);
  });

  it('honours other thresholds', () => {
    expect(run([true, false], { failure_threshold: 1, recovery_threshold: 3 }).states).toEqual(['healthy', 'unhealthy']);
    expect(run([true, false, false, false, true, true, true], { failure_threshold: 3, recovery_threshold: 3 }).states).toEqual([
      'healthy', 'degraded', 'degraded', 'unhealthy', 'unhealthy', 'unhealthy', 'healthy',
    ]);
  });

  it('leaves maintenance alone', () => {
    expect(run([false, false], undefined, initialRecord('maintenance'))).toEqual({ states: ['maintenance', 'maintenance'], transitions: [] });
  });
});
