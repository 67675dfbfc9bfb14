import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HealthIndex } from '../../src/renderer/src/store/health-index';
import { healthToColumns, type HealthDelta } from '../../src/shared/health-columns';
import { HEALTH_STATES, type HealthState } from '../../src/shared/schemas/node';
import type { NodeHealth } from '../../src/shared/schemas/health';

const health = (status: HealthState, n = 0): NodeHealth => ({ status, latency_ms: n, checked_at: `2026-12-03T10:00:${String(n % 60).padStart(2, '0')}.000Z`, error: null, recent: '1'.repeat(n % 30), uptime_24h: 1 });
const sweep = (ids: string[], status: HealthState, n: number) => healthToColumns(ids.map((id) => ({ id, health: health(status, n) })));
const all = () => true;

describe('the page\'s health index', () => {
  it('reads a sweep lazily, one object per node and sweep, so memoised rows keep theirs until the next sweep', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const first = HealthIndex.of(ids.map((id) => [id, health('unknown')])).withColumns(sweep(ids, 'healthy', 1), all);
    expect(first.get('b')).toEqual(health('healthy', 1));
    expect(first.get('b')).toBe(first.get('b'));
    expect(first.status('c')).toBe('healthy');

    // A check on demand of one node: the others keep their objects.
    const checked = first.withColumns(sweep(['c'], 'unhealthy', 2), all);
    expect(checked.get('c')?.status).toBe('unhealthy');
    expect(checked.status('c')).toBe('unhealthy');
    expect(checked.get('b')).toBe(first.get('b'));
    expect(first.get('c')?.status).toBe('healthy'); // the older index is unchanged

    const second = checked.withColumns(sweep(ids, 'degraded', 3), all);
    expect(second.get('b')).not.toBe(first.get('b'));
    expect(ids.map((id) => second.status(id))).toEqual(['degraded', 'degraded', 'degraded', 'degraded']);
  });

  it('keeps what a sweep does not cover, and hides nodes the page no longer has', () => {
    const before = HealthIndex.of([['a', health('healthy', 1)], ['b', health('healthy', 1)]]).withColumns(sweep(['a', 'b'], 'healthy', 2), all);
    // "c" was added after the sweep began; "b" was removed meanwhile.
    const added = before.with('c', health('unknown')).without('b');
    expect(added.has('b')).toBe(false);
    const next = added.withColumns(sweep(['a', 'b'], 'unhealthy', 3), (id) => id !== 'b');
    expect(next.get('c')).toEqual(health('unknown'));
    expect(next.get('b')).toBeUndefined();
    expect(next.status('b')).toBeUndefined();
    expect(next.get('a')?.status).toBe('unhealthy');
    // Next sweep lists a different fleet: the ids it no longer lists keep their last health.
    const shrunk = next.withColumns(sweep(['c', 'd'], 'healthy', 4), all);
    expect(shrunk.get('a')?.status).toBe('unhealthy');
    expect(shrunk.status('d')).toBe('healthy');
    expect(HealthIndex.EMPTY.withColumns(sweep([], 'healthy', 0), all)).toBe(HealthIndex.EMPTY);
  });

  it('answers as a plain map of the same updates would, whatever the order of sweeps, checks, additions and removals', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), ids: fc.uniqueArray(id, { maxLength: 6 }), status: fc.constantFrom(...HEALTH_STATES), n: fc.nat(100) }),
      fc.record({ kind: fc.constant('add' as const), id }),
      fc.record({ kind: fc.constant('remove' as const), id }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const known = new Set(['a', 'b', 'c']);
        const model = new Map<string, NodeHealth>([...known].map((k) => [k, health('unknown')]));
        let index = HealthIndex.of(model);
        for (const o of ops) {
          if (o.kind === 'push') {
            const deltas: HealthDelta[] = o.ids.map((k) => ({ id: k, health: health(o.status, o.n) }));
            for (const d of deltas) if (known.has(d.id)) model.set(d.id, d.health);
            index = index.withColumns(healthToColumns(deltas), (k) => known.has(k));
          } else if (o.kind === 'add') {
            known.add(o.id);
            if (!model.has(o.id)) model.set(o.id, health('unknown'));
            if (!index.has(o.id)) index = index.with(o.id, health('unknown'));
          } else {
            known.delete(o.id);
            model.delete(o.id);
            index = index.without(o.id);
          }
          for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) {
            expect(index.get(k)).toEqual(model.get(k));
            expect(index.status(k)).toBe(model.get(k)?.status);
          }
        }
      }),
    );
  });
});
