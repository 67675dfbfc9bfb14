import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertHandoff } from '../../src/core/peers/alert-handoff';
import type { AlertNotice } from '../../src/shared/schemas/alerts';
import type { SentLog } from '../../src/shared/schemas/peers';

// Issue 42, item 4: who of the peered monitors sends an alert to people, and when the next one does.
const down = (id: string): AlertNotice => ({ event: 'node_down', title: `${id} is down`, body: '', nodeId: id, nodes: [{ id, reason: 'x' }] });
const up = (id: string): AlertNotice => ({ event: 'node_recovered', title: `${id} recovered`, body: '', nodeId: id, nodes: [{ id, reason: '' }] });

describe('the alert handoff between peered monitors', () => {
  let peers: string[];
  let shared: SentLog[];
  const handoff = (instance: string) => new AlertHandoff({ instance, wellPeers: () => peers, intervalMs: () => 1000, share: (log) => shared.push(log), log: () => {} });
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-12-07T12:00:00Z') });
    peers = ['mon-a', 'mon-c'];
    shared = [];
  });
  afterEach(() => vi.useRealTimers());

  it('the first monitor in INSTANCE order sends at once and tells its peers; the next waits two intervals per position', () => {
    const a = handoff('mon-a');
    peers = ['mon-b', 'mon-c'];
    const sent: string[] = [];
    a.gate(down('n1'), () => sent.push('a'));
    expect(sent).toEqual(['a']);
    expect(shared.at(-1)).toEqual({ monitor: 'mon-a', entries: [{ key: 'node_down:n1', at: '2026-12-07T12:00:00.000Z' }] });

    peers = ['mon-a', 'mon-b'];
    const c = handoff('mon-c'); // third: waits four intervals
    c.gate(down('n1'), () => sent.push('c'));
    expect(c.waiting).toBe(1);
    vi.advanceTimersByTime(3999);
    expect(sent).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['a', 'c']); // nobody told it mon-a sent: at least once
  });

  it('does not send what a peer has sent since the outage began, and sends what a peer sent for an earlier outage', () => {
    const b = handoff('mon-b');
    const sent: string[] = [];
    b.takePeerLog({ monitor: 'mon-a', entries: [{ key: 'node_down:n1', at: new Date().toISOString() }] });
    b.gate(down('n1'), () => sent.push('down'));
    vi.advanceTimersByTime(2000);
    expect(sent).toEqual([]);
    expect(b.waiting).toBe(0);
    // The recovery: mon-a is gone (killed), mon-b is first now and sends at once.
    vi.advanceTimersByTime(5000);
    peers = ['mon-c'];
    b.gate(up('n1'), () => sent.push('up'));
    expect(sent).toEqual(['up']);
    // Down again: mon-a's old record is from before this monitor saw the recovery, so it does not count.
    peers = ['mon-a', 'mon-c'];
    vi.advanceTimersByTime(5000);
    b.gate(down('n1'), () => sent.push('down again'));
    vi.advanceTimersByTime(2000);
    expect(sent).toEqual(['up', 'down again']);
  });

  it("sends its own alerts at once (the monitor's own outage, a test), and a grouped alert when any node in it is unsent", () => {
    const c = handoff('mon-c');
    const sent: string[] = [];
    c.gate({ event: 'monitor_offline', title: 'Monitor offline', body: '', nodeId: null, nodes: [] }, () => sent.push('offline'));
    expect(sent).toEqual(['offline']);
    c.takePeerLog({ monitor: 'mon-a', entries: [{ key: 'node_down:n1', at: new Date().toISOString() }] });
    c.gate({ ...down('n1'), title: '2 nodes down', nodes: [{ id: 'n1', reason: '' }, { id: 'n2', reason: '' }] }, () => sent.push('both'));
    vi.advanceTimersByTime(4000);
    expect(sent).toEqual(['offline', 'both']);
    // Its own name in a peer's log is not a peer's record.
    c.takePeerLog({ monitor: 'mon-c', entries: [{ key: 'node_down:n3', at: new Date().toISOString() }] });
    c.gate(down('n3'), () => sent.push('n3'));
    vi.advanceTimersByTime(4000);
    expect(sent).toEqual(['offline', 'both', 'n3']);
  });
});
