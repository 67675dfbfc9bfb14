// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createClusterStore, visibleIds } from '../../src/renderer/src/store/cluster-store';
import { computeStatusFixture, nodeFixture } from './fixtures';
import { fakeApi } from './fake-api';

describe('cluster store', () => {
  it('loads a snapshot, then applies pushed deltas without polling', async () => {
    const nodes = [nodeFixture('a', 'healthy'), nodeFixture('b', 'healthy'), nodeFixture('c', 'unhealthy', { role: 'master' })];
    const { api, calls, push } = fakeApi({ 'cluster:status': () => computeStatusFixture(nodes), 'events:list': () => [] });
    const store = createClusterStore();
    await store.getState().init(api);
    expect(store.getState().order).toEqual(['a', 'b', 'c']);
    expect(calls.map((c) => c.channel).sort()).toEqual(['cluster:status', 'events:list']);

    push('health', [{ id: 'b', health: { status: 'unhealthy', latency_ms: null, checked_at: '2026-01-01T00:00:00Z', error: 'connection refused' } }]);
    const nodeB = store.getState().nodes.get('b');
    expect(store.getState().health.get('b')?.status).toBe('unhealthy');
    expect(store.getState().nodes.get('b')).toBe(nodeB); // a health update leaves registry data alone

    push('nodes', { type: 'added', node: { ...nodeFixture('d', 'unknown') } });
    push('nodes', { type: 'removed', node: nodes[0] });
    expect(store.getState().order).toEqual(['b', 'c', 'd']);
    expect(store.getState().health.get('d')?.status).toBe('unknown');

    push('event', { seq: 1, node: 'b', kind: 'transition', from: 'healthy', to: 'unhealthy', reason: 'refused', at: '2026-01-01T00:00:00Z' });
    expect(store.getState().events).toHaveLength(1);
    push('status', { ...computeStatusFixture([]), state: 'critical' });
    expect(store.getState().status?.state).toBe('critical');
    expect(calls).toHaveLength(2); // nothing fetched again
  });

  it('filters with the shared rules and sorts by any column', () => {
    const nodes = [nodeFixture('b', 'healthy', { tags: ['gpu'] }), nodeFixture('a', 'unhealthy', { role: 'master' }), nodeFixture('c', 'degraded', { hostname: 'Big-Box' })];
    const state = {
      nodes: new Map(nodes.map(({ health: _h, ...n }) => [n.id, n])),
      health: new Map(nodes.map((n) => [n.id, n.health])),
      order: ['b', 'a', 'c'],
      filter: {},
      sort: { key: 'id' as const, dir: 1 as const },
    };
    expect(visibleIds(state)).toEqual(['a', 'b', 'c']);
    expect(visibleIds({ ...state, sort: { key: 'state', dir: 1 } })).toEqual(['a', 'c', 'b']);
    expect(visibleIds({ ...state, sort: { key: 'id', dir: -1 } })).toEqual(['c', 'b', 'a']);
    expect(visibleIds({ ...state, filter: { status: 'unhealthy' } })).toEqual(['a']);
    expect(visibleIds({ ...state, filter: { tag: 'gpu' } })).toEqual(['b']);
    expect(visibleIds({ ...state, filter: { q: 'big-box' } })).toEqual(['c']);
    expect(visibleIds({ ...state, filter: { role: 'master' } })).toEqual(['a']);
  });
});
