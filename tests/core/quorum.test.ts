import { describe, expect, it } from 'vitest';
import { decideNode, freshViews } from '../../src/core/peers/quorum';
import type { Vantage } from '../../src/shared/schemas/peers';

// Issue 42, item 2: the quorum rule alone (its wiring into the monitor comes next).
const NOW = Date.parse('2026-12-07T12:00:00Z');
const view = (monitor: string, status: string, over: Partial<Vantage> = {}): Vantage => ({
  monitor, at: new Date(NOW - 500).toISOString(), interval_s: 1, offline: false, nodes: [{ id: 'n1', status: status as never, checked_at: null, error: null }], ...over,
});

describe('quorum state', () => {
  it('calls a node down only when a majority of the voting monitors see it down', () => {
    expect(decideNode('n1', view('a', 'unhealthy'), [view('b', 'healthy'), view('c', 'healthy')], NOW)).toMatchObject({ status: 'healthy', needed: 2, alone: false });
    expect(decideNode('n1', view('a', 'unhealthy'), [view('b', 'unhealthy'), view('c', 'healthy')], NOW)).toMatchObject({ status: 'unhealthy', needed: 2 });
    // Every monitor holding the same views decides the same.
    expect(decideNode('n1', view('b', 'healthy'), [view('a', 'unhealthy'), view('c', 'unhealthy')], NOW).status).toBe('unhealthy');
    // Degraded and unhealthy together make a degraded quorum.
    expect(decideNode('n1', view('a', 'unhealthy'), [view('b', 'degraded'), view('c', 'healthy')], NOW).status).toBe('degraded');
    // QUORUM=1 keeps one monitor's verdict.
    expect(decideNode('n1', view('a', 'unhealthy'), [view('b', 'healthy'), view('c', 'healthy')], NOW, 1).status).toBe('unhealthy');
  });

  it('leaves out stale votes, monitors whose own guard fired, unknown views and a peer with our name', () => {
    const stale = view('b', 'unhealthy', { at: new Date(NOW - 2500).toISOString() });
    const offline = view('c', 'unhealthy', { offline: true });
    expect(freshViews([stale, offline], NOW)).toEqual([]);
    expect(decideNode('n1', view('a', 'healthy'), [stale, offline], NOW)).toMatchObject({ status: 'healthy', alone: true, voters: [{ monitor: 'a', status: 'healthy' }] });
    expect(decideNode('n1', view('a', 'unknown'), [view('b', 'unhealthy'), view('c', 'unknown')], NOW)).toMatchObject({ status: 'unhealthy', needed: 1 });
    expect(decideNode('n1', view('a', 'healthy'), [view('a', 'unhealthy')], NOW)).toMatchObject({ status: 'healthy', alone: true });
    // This monitor's own guard fired: it does not vote, its peers decide.
    expect(decideNode('n1', view('a', 'unhealthy', { offline: true }), [view('b', 'healthy'), view('c', 'healthy')], NOW).status).toBe('healthy');
  });

  it('needs no vote for maintenance', () => {
    expect(decideNode('n1', view('a', 'maintenance'), [view('b', 'unhealthy'), view('c', 'unhealthy')], NOW)).toMatchObject({ status: 'maintenance', voters: [] });
  });
});
