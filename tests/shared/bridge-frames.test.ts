import { describe, expect, it } from 'vitest';
import { readFrame } from '../../src/shared/bridge-client';
import { HEALTH_KEYS, healthToColumns } from '../../src/shared/health-columns';
import { BRIDGE_MAX_FRAME_BYTES, HealthColumnsSchema } from '../../src/shared/schemas/push';

// Issue 39, finding 4: what a service sends over the bridge is read as hostile, in the web UI and the desktop alike.
describe('a frame from the service', () => {
  it('is dropped with a reason when it is too large, not JSON, not an object, of an unknown event or off its schema', () => {
    expect(readFrame('x'.repeat(BRIDGE_MAX_FRAME_BYTES + 1))).toMatch(/^a frame of \d+ characters/);
    for (const raw of ['not json', 'null', '42', '[]', '"s"']) expect(typeof readFrame(raw), raw).toBe('string');
    expect(readFrame(JSON.stringify({ event: 'status', payload: { nonsense: true } }))).toMatch(/^a status push that does not fit its schema/);
    expect(readFrame(JSON.stringify({ event: 'connection', payload: { state: 'open', since: 'x' } }))).toMatch(/unknown event/);
    expect(readFrame(JSON.stringify({ event: 'constructor', payload: {} }))).toMatch(/unknown event/);
    expect(readFrame(JSON.stringify({ event: 'alert', payload: { event: 'node_down', title: 't', body: 'b', nodeId: null, nodes: [] } }))).toMatchObject({ kind: 'push', event: 'alert' });
  });

  it('answers with a well-formed error even when the service sends a malformed one', () => {
    expect(readFrame(JSON.stringify({ id: 3, ok: false, error: null }))).toEqual({ kind: 'answer', id: 3, ok: false, error: { error: 'bad_gateway', message: 'the service answered with a malformed error', details: [] } });
    expect(readFrame(JSON.stringify({ id: 4, ok: false, error: { error: 'forbidden', message: 'm', details: [null, { field: 'f', message: 'x' }] } }))).toMatchObject({ error: { details: [{ field: 'f', message: 'x' }] } });
  });

  it('the health columns schema is in step with NodeHealth', () => {
    const columns = healthToColumns([{ id: 'a', health: { status: 'healthy', latency_ms: 3, checked_at: 'now', error: null, recent: '1', uptime_24h: 1 } }]);
    expect(HealthColumnsSchema.safeParse(columns).success).toBe(true);
    expect(Object.keys(HealthColumnsSchema.shape).sort()).toEqual(['id', ...HEALTH_KEYS].sort());
    expect(HealthColumnsSchema.safeParse({ ...columns, status: [] }).success).toBe(false);
  });
});
