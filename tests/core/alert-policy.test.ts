import { describe, expect, it } from 'vitest';
import { AlertPolicy, type Alert } from '../../src/core/alerts/alert-policy';
import type { HealthEvent } from '../../src/shared/schemas/health';
import { NodeSchema, type Node } from '../../src/shared/schemas/node';

let seq = 0;
const transition = (node: string, from: string, to: string, reason = 'connection refused'): HealthEvent => ({ seq: ++seq, node, kind: 'transition', from, to, reason, at: new Date().toISOString() });

function setup(nodes: Record<string, Partial<Node>> = {}) {
  const shown: Array<Pick<Alert, 'title' | 'body' | 'nodeId'>> = [];
  const alerts: Alert[] = [];
  const timers: Array<() => void> = [];
  const registry = new Map(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => [id, NodeSchema.parse({ id, hostname: id, tailscale_ip: '127.0.0.1', role: 'worker', cpu_cores: 1, memory_gb: 1, ...nodes[id] })]));
  const policy = new AlertPolicy({
    nodeOf: (id) => registry.get(id),
    show: (alert) => (alerts.push(alert), shown.push({ title: alert.title, body: alert.body, nodeId: alert.nodeId })),
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
  });
  return { policy, shown, alerts, fire: () => timers.splice(0).forEach((t) => t()) };
}

describe('AlertPolicy (native notifications and alert channels)', () => {
  it('sends one "node down" and one "recovered" after the monitor crossed its thresholds', () => {
    const { policy, shown, fire } = setup();
    policy.onEvent(transition('a', 'healthy', 'unhealthy'));
    expect(shown).toEqual([]); // held for the grouping window
    fire();
    expect(shown).toEqual([{ title: 'a is down', body: 'connection refused', nodeId: 'a' }]);
    policy.onEvent(transition('a', 'unhealthy', 'healthy', 'checks pass again'));
    fire();
    expect(shown.at(-1)).toEqual({ title: 'a recovered', body: 'Checks pass again.', nodeId: 'a' });
  });

  it('groups several changes in the window into one notification', () => {
    const { policy, shown, alerts, fire } = setup();
    for (const id of ['a', 'b', 'c']) policy.onEvent(transition(id, 'healthy', 'unhealthy', `${id} refused`));
    fire();
    expect(shown).toEqual([{ title: '3 nodes down', body: 'a, b, c', nodeId: 'a' }]);
    expect(alerts[0]).toMatchObject({ event: 'node_down', nodes: [{ id: 'a', reason: 'a refused' }, { id: 'b', reason: 'b refused' }, { id: 'c', reason: 'c refused' }] });
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) policy.onEvent(transition(id, 'unhealthy', 'healthy'));
    fire();
    expect(shown.at(-1)).toEqual({ title: '7 nodes recovered', body: 'a, b, c, d, e and 2 more', nodeId: 'a' });
  });

  it('stays quiet for first checks, maintenance, muted nodes and while paused', () => {
    const { policy, shown, fire } = setup({ b: { maintenance: true }, c: { muted_until: new Date(Date.now() + 3600_000).toISOString() }, d: { muted_until: new Date(Date.now() - 1000).toISOString() } });
    policy.onEvent(transition('a', 'unknown', 'healthy'));
    policy.onEvent(transition('b', 'healthy', 'unhealthy'));
    policy.onEvent(transition('c', 'healthy', 'unhealthy'));
    policy.onEvent(transition('a', 'healthy', 'maintenance'));
    policy.onEvent(transition('d', 'healthy', 'unhealthy')); // mute expired: alerts again
    fire();
    expect(shown.map((n) => n.title)).toEqual(['d is down']);
    policy.setPaused(true);
    policy.onEvent(transition('e', 'healthy', 'unhealthy'));
    fire();
    expect(shown).toHaveLength(1);
  });

  it('sends one notice for the monitor going offline instead of one per node', () => {
    const { policy, shown, fire } = setup();
    policy.onEvent(transition('a', 'healthy', 'unhealthy'));
    policy.onEvent({ seq: 99, node: null, kind: 'monitor_offline', from: 'online', to: 'offline', reason: '7 of 7 healthy nodes failed in one sweep', at: '' });
    for (const id of ['b', 'c']) policy.onEvent(transition(id, 'healthy', 'unhealthy'));
    fire();
    expect(shown).toEqual([{ title: 'Monitor offline', body: '7 of 7 healthy nodes failed in one sweep. Node alerts are held until checks succeed again.', nodeId: null }]);
    policy.onEvent({ seq: 100, node: null, kind: 'monitor_online', from: 'offline', to: 'online', reason: '', at: '' });
    policy.onEvent(transition('b', 'healthy', 'unhealthy'));
    fire();
    expect(shown.map((n) => n.title)).toEqual(['Monitor offline', 'Monitor back online', 'b is down']);
  });

  it('says nothing for a node that went down and came back within one window', () => {
    const { policy, shown, fire } = setup();
    policy.onEvent(transition('a', 'healthy', 'unhealthy'));
    policy.onEvent(transition('b', 'healthy', 'unhealthy'));
    policy.onEvent(transition('a', 'unhealthy', 'healthy'));
    fire();
    expect(shown.map((n) => n.title)).toEqual(['b is down']);
  });

  it('tells about a changed SSH host key at once, with a click target', () => {
    const { policy, shown } = setup();
    policy.onEvent({ seq: 1, node: 'a', kind: 'host_key_changed', from: 'SHA256:old', to: 'SHA256:new', reason: 'SSH host key changed', at: '' });
    expect(shown).toEqual([{ title: 'a: SSH host key changed', body: 'SSH host key changed', nodeId: 'a' }]);
  });
});
