// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createClusterStore, visibleIds } from '../../src/renderer/src/store/cluster-store';
import { HealthIndex } from '../../src/renderer/src/store/health-index';
import { computeStatusFixture, nodeFixture } from './fixtures';
import { fakeApi } from './fake-api';
import { healthToColumns } from '../../src/shared/health-columns';
import { DEFAULT_MONITOR_SETTINGS } from '../../src/shared/schemas/settings';
import { searchWithView, viewFromSearch } from '../../src/renderer/src/store/url-view';

describe('cluster store', () => {
  it('loads a snapshot, then applies pushed deltas without polling', async () => {
    const nodes = [nodeFixture('a', 'healthy'), nodeFixture('b', 'healthy'), nodeFixture('c', 'unhealthy', { role: 'master' })];
    const { api, calls, push } = fakeApi({ 'cluster:status': () => computeStatusFixture(nodes), 'events:list': () => [], 'settings:get': () => ({ ...DEFAULT_MONITOR_SETTINGS, interval_s: 7 }) });
    const store = createClusterStore();
    await store.getState().init(api);
    expect(store.getState().order).toEqual(['a', 'b', 'c']);
    expect(calls.map((c) => c.channel).sort()).toEqual(['auth:whoami', 'cluster:status', 'events:list', 'registry:nodesFile', 'settings:get']);
    expect(store.getState().intervalS).toBe(7); // for telling fresh times from stale ones

    // A health push for a node the page does not know (removed meanwhile) is ignored.
    push('health', healthToColumns([
      { id: 'b', health: { status: 'unhealthy', latency_ms: null, checked_at: '2026-01-01T00:00:00Z', error: 'connection refused' } },
      { id: 'gone', health: { status: 'healthy', latency_ms: 1, checked_at: '2026-01-01T00:00:00Z', error: null } },
    ]));
    const nodeB = store.getState().nodes.get('b');
    expect(store.getState().health.get('b')?.status).toBe('unhealthy');
    expect(store.getState().nodes.get('b')).toBe(nodeB); // a health update leaves registry data alone
    expect(store.getState().health.has('gone')).toBe(false);

    push('nodes', { type: 'added', node: { ...nodeFixture('d', 'unknown') } });
    push('nodes', { type: 'removed', node: nodes[0] });
    expect(store.getState().order).toEqual(['b', 'c', 'd']);
    expect(store.getState().health.get('d')?.status).toBe('unknown');

    push('event', { seq: 1, node: 'b', kind: 'transition', from: 'healthy', to: 'unhealthy', reason: 'refused', at: '2026-01-01T00:00:00Z' });
    expect(store.getState().events).toHaveLength(1);
    push('status', { ...computeStatusFixture([]), state: 'critical' });
    expect(store.getState().status?.state).toBe('critical');
    expect(calls).toHaveLength(5); // nothing fetched again
  });

  it('filters with the shared rules and sorts by any column', () => {
    const nodes = [nodeFixture('b', 'healthy', { tags: ['gpu'] }), nodeFixture('a', 'unhealthy', { role: 'master' }), nodeFixture('c', 'degraded', { hostname: 'Big-Box' })];
    const state = {
      nodes: new Map(nodes.map(({ health: _h, ...n }) => [n.id, n])),
      health: HealthIndex.of(nodes.map((n) => [n.id, n.health])),
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

  it('puts problems first by default: unhealthy, degraded, unknown, then the rest', () => {
    const nodes = [nodeFixture('a', 'healthy'), nodeFixture('b', 'unknown'), nodeFixture('c', 'degraded'), nodeFixture('d', 'maintenance'), nodeFixture('e', 'unhealthy'), nodeFixture('f', 'unhealthy')];
    const store = createClusterStore();
    const state = { ...store.getState(), nodes: new Map(nodes.map(({ health: _h, ...n }) => [n.id, n])), health: HealthIndex.of(nodes.map((n) => [n.id, n.health])), order: nodes.map((n) => n.id) };
    expect(store.getState().sort).toEqual({ key: 'state', dir: 1 });
    expect(visibleIds(state)).toEqual(['e', 'f', 'c', 'b', 'd', 'a']);
    expect(visibleIds({ ...state, sort: { key: 'state', dir: -1 } })).toEqual(['a', 'd', 'b', 'c', 'f', 'e']); // reversed, ties too
    expect(visibleIds({ ...state, sort: { key: 'latency', dir: 1 } })).toEqual(['a', 'b', 'c', 'd', 'e', 'f']); // 1.5 ms first, then no latency by id
  });

  it('matches every word of a search, and tags whatever their case', () => {
    const nodes = [nodeFixture('db-1', 'healthy', { tags: ['GPU', 'rack-1'] }), nodeFixture('db-2', 'healthy', { tags: ['rack-2'] }), nodeFixture('web-1', 'healthy', { tags: ['gpu'] })];
    const state = { nodes: new Map(nodes.map(({ health: _h, ...n }) => [n.id, n])), health: HealthIndex.of(nodes.map((n) => [n.id, n.health])), order: nodes.map((n) => n.id), sort: { key: 'id' as const, dir: 1 as const } };
    expect(visibleIds({ ...state, filter: { q: 'db gpu' } })).toEqual(['db-1']);
    expect(visibleIds({ ...state, filter: { q: '  DB   rack-2 ' } })).toEqual(['db-2']);
    expect(visibleIds({ ...state, filter: { q: 'db nothing' } })).toEqual([]);
    expect(visibleIds({ ...state, filter: { tag: 'gpu' } })).toEqual(['db-1', 'web-1']);
    expect(visibleIds({ ...state, filter: { tag: 'Rack-1' } })).toEqual(['db-1']);
  });

  it('keeps filters and sort in the address, ignoring what is not valid', () => {
    const view = { filter: { q: 'db gpu', role: 'worker' as const, status: 'unhealthy' as const, tag: 'rack-1' }, sort: { key: 'latency' as const, dir: -1 as const } };
    const search = searchWithView('?keep=1', view);
    expect(new URLSearchParams(search).get('keep')).toBe('1');
    expect(viewFromSearch(search)).toEqual(view);
    expect(searchWithView('', { filter: {}, sort: { key: 'state', dir: 1 } })).toBe(''); // the default view adds nothing
    expect(viewFromSearch('?role=king&state=bad&sort=-nope&tag=a%20b')).toEqual({ filter: {}, sort: { key: 'state', dir: 1 } });
  });

  it('keeps a refused token refused when a call fails afterwards', () => {
    const store = createClusterStore();
    store.getState().setConnection('unauthorized');
    store.getState().setConnection('closed'); // init's rejection arrives after the 4401 close
    expect(store.getState().connection).toBe('unauthorized');
    const other = createClusterStore();
    other.getState().setConnection('closed');
    other.getState().setConnection('open');
    expect(other.getState().connection).toBe('open');
  });
});
