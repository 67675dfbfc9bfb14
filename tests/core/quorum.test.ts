import { describe, expect, it } from 'vitest';
import { decide, isFresh } from '../../src/core/peers/quorum';

// Issue 42, item 2: the quorum rule alone. The first view is this monitor's own.
const NOW = Date.parse('2026-12-07T12:00:00Z');
const view = (monitor: string, status: string, may_vote = true) => ({ monitor, status: status as never, checked_at: null, error: null, may_vote });

describe('quorum state', () => {
  it('calls a node down only when a majority of the voting monitors see it down', () => {
    expect(decide([view('a', 'unhealthy'), view('b', 'healthy'), view('c', 'healthy')])).toMatchObject({ status: 'healthy', needed: 2, alone: false });
    expect(decide([view('a', 'unhealthy'), view('b', 'unhealthy'), view('c', 'healthy')])).toMatchObject({ status: 'unhealthy', needed: 2 });
    // Every monitor holding the same views decides the same.
    expect(decide([view('b', 'healthy'), view('a', 'unhealthy'), view('c', 'unhealthy')]).status).toBe('unhealthy');
    // Degraded and unhealthy together make a degraded quorum.
    expect(decide([view('a', 'unhealthy'), view('b', 'degraded'), view('c', 'healthy')]).status).toBe('degraded');
    // QUORUM=1 keeps one monitor's verdict; a quorum above the voters takes them all.
    expect(decide([view('a', 'unhealthy'), view('b', 'healthy'), view('c', 'healthy')], 1).status).toBe('unhealthy');
    expect(decide([view('a', 'unhealthy'), view('b', 'unhealthy')], 5)).toMatchObject({ status: 'unhealthy', needed: 2 });
  });

  it('leaves out stale votes, monitors whose own guard fired and unknown views, and marks each view counted or not', () => {
    expect(isFresh({ at: new Date(NOW - 1900).toISOString(), interval_s: 1 }, NOW)).toBe(true);
    expect(isFresh({ at: new Date(NOW - 2100).toISOString(), interval_s: 1 }, NOW)).toBe(false);
    const lone = decide([view('a', 'healthy'), view('b', 'unhealthy', false), view('c', 'unhealthy', false)]);
    expect(lone).toMatchObject({ status: 'healthy', alone: true, needed: 1 });
    expect(lone.vantage.map((v) => [v.monitor, v.counted])).toEqual([['a', true], ['b', false], ['c', false]]);
    expect(decide([view('a', 'unknown'), view('b', 'unhealthy'), view('c', 'unknown')])).toMatchObject({ status: 'unhealthy', needed: 1, alone: false });
    // This monitor's own guard fired: it does not vote, its peers decide.
    expect(decide([view('a', 'unhealthy', false), view('b', 'healthy'), view('c', 'healthy')]).status).toBe('healthy');
    // Nobody can tell: no vote is needed, the own view stands.
    expect(decide([view('a', 'unknown'), view('b', 'unknown')])).toMatchObject({ status: 'unknown', needed: 0 });
  });

  it('needs no vote for maintenance', () => {
    const decision = decide([view('a', 'maintenance'), view('b', 'unhealthy'), view('c', 'unhealthy')]);
    expect(decision).toMatchObject({ status: 'maintenance', needed: 0 });
    expect(decision.vantage.every((v) => !v.counted)).toBe(true);
  });
});
