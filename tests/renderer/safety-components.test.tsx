// @vitest-environment happy-dom
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createCore, type Core } from '../../src/core/app-core';
import { DEFAULT_MONITOR_SETTINGS } from '../../src/shared/schemas/settings';
import type { OrchestratorApi } from '../../src/shared/api-contract';
import type { HistoryPoint } from '../../src/shared/schemas/health';
import { useClusterStore } from '../../src/renderer/src/store/cluster-store';
import { HealthIndex } from '../../src/renderer/src/store/health-index';
import { setupI18n } from '../../src/renderer/src/i18n/setup-i18n';
import { ImportDialog } from '../../src/renderer/src/components/ImportDialog';
import { NodeDetail } from '../../src/renderer/src/components/NodeDetail';
import { DemoNotice } from '../../src/renderer/src/components/DemoNotice';
import { CommandDialog } from '../../src/renderer/src/components/CommandDialog';
import { AXIS_SPACE, chartData, latencyTickLabels, maxLabels, timeRange, timeTickLabels } from '../../src/renderer/src/components/latency-chart-model';
import { nodeInput } from '../helpers/nodes';
import { peer, statusDocument } from '../helpers/tailscale-status';
import { tempDir } from '../helpers/temp-dir';
import { apiOverCore } from '../helpers/core-api';

// Issue 17, items 14, 15 and 17 as a user meets them: the components talk to the real core's
// handlers (as IPC and the web bridge do), in English and in Korean.
let core: Core;
let api: OrchestratorApi;

beforeAll(() => {
  core = createCore({ dataDir: tempDir(), settings: DEFAULT_MONITOR_SETTINGS, log: () => {}, ssh: { metricsIntervalMs: 0 } });
  core.monitor.stop();
  api = apiOverCore(core);
});
afterAll(() => core?.close());
beforeEach(() => setupI18n('en'));
afterEach(cleanup);

const paste = (label: string, text: string) => fireEvent.change(screen.getByLabelText(label), { target: { value: text } });
/** The core writes durably (fsync): on a busy machine an answer can take a while. */
const SLOW = { timeout: 5000 };
const reportLines = (testId: string) => within(screen.getByTestId(testId)).getAllByRole('listitem').map((li) => li.textContent);

describe('latency chart scale (item 14)', () => {
  it('gives a chart of one check a time range around it, so its ticks read that time (issue 40, item 4)', () => {
    const t = Date.parse('2026-12-07T15:19:30Z') / 1000;
    expect(timeRange([t])).toEqual([t - 60, t + 60]);
    expect(timeRange([t, t + 0.5])).toEqual([t - 60, t + 60.5]);
    expect(timeRange([t, t + 30])).toBeUndefined();
    expect(timeRange([])).toBeUndefined();
  });

  const at = (i: number, latency: number | null, ok = true): HistoryPoint => ({ t: Date.parse('2026-11-24T10:00:00Z') + i * 15_000, latency_ms: latency, ok });

  it('keeps one spike from flattening the rest: the scale is clipped and the spike drawn at the top', () => {
    const points = [...Array.from({ length: 40 }, (_, i) => at(i, 10 + (i % 5))), at(40, 2500)];
    const data = chartData(points);
    expect(data.top).toBeLessThan(100); // the bulk (10–14 ms) fills the chart, not 0.5 % of it
    expect(data.top).toBeGreaterThanOrEqual(14);
    expect(data.clippedCount).toBe(1);
    expect(data.ys.at(-1)).toBe(data.top);
    expect(data.clipped.at(-1)).toBe(data.top);
  });

  it('uses the full range when nothing stands out', () => {
    const data = chartData(Array.from({ length: 20 }, (_, i) => at(i, 20 + i * 5)));
    expect(data.top).toBeGreaterThanOrEqual(115);
    expect(data.clippedCount).toBe(0);
  });

  it('marks a failed check as a failure, never as a 0 ms latency', () => {
    const data = chartData([at(0, 12), at(1, null, false), at(2, 14)]);
    expect(data.ys).toEqual([12, null, 14]); // a gap in the line
    expect(data.failures).toEqual([null, data.top, null]); // a mark at the top
    expect(data.failedCount).toBe(1);
    expect(data.ys).not.toContain(0);
  });

  it('spaces axis labels wider than the longest label, and no two labels read the same', () => {
    const base = Date.parse('2026-11-24T23:59:55Z') / 1000;
    for (const locale of ['en-US', 'ko-KR']) {
      const close = timeTickLabels([base, base + 5, base + 10], locale); // ticks seconds apart: seconds shown
      expect(new Set(close).size, close.join(' | ')).toBe(3);
      for (const label of close) {
        // ~7 px per character at the axis font (Hangul ~12 px), plus a gap.
        const width = [...label].reduce((w, ch) => w + (/[\u3131-\uD79D]/.test(ch) ? 12 : 7), 0);
        expect(width + 8, `${locale} "${label}"`).toBeLessThanOrEqual(AXIS_SPACE.x);
      }
      expect(timeTickLabels([base, base + 600], locale)[0]).not.toMatch(/\d:\d\d:\d\d/); // minutes apart: no seconds
      const small = latencyTickLabels([0, 0.2, 0.4, 0.6, 0.8, 1], locale);
      expect(new Set(small).size, small.join(' | ')).toBe(6);
      expect(latencyTickLabels([0, 50, 100], locale)).toEqual(['0', '50', '100']);
    }
    expect(maxLabels(420, 'x')).toBeLessThanOrEqual(5);
  });

  it('draws a grid that shows on the dark panel', () => {
    const css = fs.readFileSync('src/renderer/src/styles.css', 'utf8');
    const dark = /@media \(prefers-color-scheme: dark\) \{ :root \{ --chart-grid: rgba\((\d+), (\d+), (\d+), ([\d.]+)\)/.exec(css);
    const panel = /prefers-color-scheme: dark\)[^}]*--panel: #([0-9a-f]{6})/.exec(css);
    expect(dark, 'a dark-mode --chart-grid').not.toBeNull();
    expect(panel).not.toBeNull();
    const [r, g, b, a] = dark!.slice(1).map(Number);
    const bg = [0, 2, 4].map((i) => parseInt(panel![1].slice(i, i + 2), 16));
    const line = [r, g, b].map((c, i) => c * a + bg[i] * (1 - a));
    const luminance = (rgb: number[]) => rgb.map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)).reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
    const contrast = (luminance(line) + 0.05) / (luminance(bg) + 0.05);
    expect(contrast).toBeGreaterThan(1.3); // a faint but visible line; the old default was invisible on #1d2126
  });
});

describe('import dialogs (item 15)', () => {
  beforeEach(() => useClusterStore.setState({ api }));

  it('nodes.json: the preview lists ids and changed fields, and after applying says what was applied', async () => {
    core.registry.create(nodeInput('imp-keep'));
    core.registry.create(nodeInput('imp-edit'));
    let closed = false;
    render(<ImportDialog onClose={() => (closed = true)} />);
    const doc = { nodes: { 'imp-keep': nodeInput('imp-keep'), 'imp-edit': { ...nodeInput('imp-edit'), cpu_cores: 64, tags: ['gpu'] }, 'imp-new': nodeInput('imp-new') } };
    paste('nodes.json contents', JSON.stringify(doc));
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(screen.getByTestId('import-report').textContent).toContain('Preview'), SLOW);
    expect(reportLines('import-report')).toEqual(['+ imp-new (new)', '~ imp-edit: cpu_cores, tags', '= imp-keep (unchanged)']);
    expect(core.registry.get('imp-new')).toBeUndefined();
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.getByTestId('import-report').textContent).toContain('Applied:'), SLOW);
    expect(screen.getByTestId('import-report').textContent).toContain('added 1 · updated 1 · unchanged 1 · invalid 0');
    expect(core.registry.get('imp-new')).toBeDefined();
    expect(closed).toBe(false); // it stays open to say so
    expect((screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('Tailscale: takes a file, offers the API\'s options, and previews role, tags and online state', async () => {
    render(<ImportDialog onClose={() => {}} initialSource="tailscale" />);
    const tailnet = statusDocument(
      [
        peer('ts-db', '127.61.9.1', { Tags: ['tag:storage', 'tag:ssd'], Online: false, LastSeen: '2026-11-20T08:00:00Z' }),
        peer('ts-plain', '127.61.9.2'),
        peer('ts-old', '127.61.9.3', { KeyExpiry: '2020-01-01T00:00:00Z' }),
      ],
      peer('ts-self', '127.61.9.4'),
    );
    const file = new File([JSON.stringify(tailnet)], 'status.json', { type: 'application/json' });
    fireEvent.change(screen.getByLabelText('File'), { target: { files: [file] } });
    await waitFor(() => expect((screen.getByLabelText('tailscale status JSON') as HTMLTextAreaElement).value).toContain('ts-db'), SLOW);
    for (const option of ['Include this machine', 'Include machines whose key expired', 'Include non-Linux machines']) expect(screen.getByLabelText(option)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(screen.queryByTestId('tailscale-report')).not.toBeNull(), SLOW);
    expect(reportLines('tailscale-report')).toEqual([
      '+ ts-db (127.61.9.1) storage · tags: ssd · offline',
      '+ ts-plain (127.61.9.2) worker · tags: none · online',
      'skipped ts-self: this machine',
      'skipped ts-old: node key expired',
    ]);
    // The options reach the API: self and expired machines come in, untagged ones as storage.
    fireEvent.click(screen.getByLabelText('Include this machine'));
    fireEvent.click(screen.getByLabelText('Include machines whose key expired'));
    fireEvent.change(screen.getByLabelText('Role for untagged machines'), { target: { value: 'master' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(reportLines('tailscale-report')).toContain('+ ts-self (127.61.9.4) master · tags: none · online'), SLOW);
    expect(reportLines('tailscale-report')).toContain('+ ts-old (127.61.9.3) master · tags: none · online');
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.getByTestId('tailscale-report').textContent).toContain('Applied:'), SLOW);
    expect(core.registry.get('ts-db')).toMatchObject({ role: 'storage', tags: ['ssd'], os: 'linux', dns_name: 'ts-db.tail1234.ts.net', tailscale_online: false, tailscale_last_seen: '2026-11-20T08:00:00.000Z' });
    expect(core.registry.get('ts-db')).not.toHaveProperty('cpu_cores'); // no "1 core" stand-in
  });

  it('reads in Korean', async () => {
    setupI18n('ko');
    render(<ImportDialog onClose={() => {}} initialSource="tailscale" />);
    expect(screen.getByLabelText('이 컴퓨터도 포함')).toBeTruthy();
    expect(screen.getByRole('button', { name: '미리 보기' })).toBeTruthy();
  });
});

describe('node detail facts (items 5 and 17)', () => {
  const show = (id: string, events: object[] = []) => {
    const node = core.registry.require(id);
    useClusterStore.setState({ api, nodes: new Map([[id, node]]), health: HealthIndex.of([[id, { status: core.monitor.stateOf(id), latency_ms: 3.2, checked_at: new Date().toISOString(), error: null }]]), selectedId: id, events: events as never });
    render(<NodeDetail onEdit={() => {}} onRun={() => {}} />);
  };

  it('shows Tailscale\'s OS, DNS name, online state and last seen, and no stand-in size as a fact', () => {
    core.tailscale.import(statusDocument([peer('ts-facts', '127.61.9.10', { Online: false, LastSeen: '2026-11-20T08:00:00Z' })]), { default_cpu_cores: 1, default_memory_gb: 1 });
    // What older releases stored for a Tailscale import: 1 core and 1 GB as stand-ins.
    show('ts-facts');
    const facts = screen.getByTestId('detail-facts').textContent ?? '';
    expect(facts).toContain('linux');
    expect(facts).toContain('ts-facts.tail1234.ts.net');
    expect(screen.getByTestId('detail-tailscale').textContent).toMatch(/^offline · last seen .*2026/);
    expect(screen.getByTestId('detail-size').textContent).toBe('not known yet (read over SSH)');
    expect(facts).not.toMatch(/1 cores?|1 GB/);
  });

  it('shows a real size, and for a maintenance node no old latency or probes but "in maintenance since"', () => {
    core.registry.create(nodeInput('sized', { cpu_cores: 8, memory_gb: 31.4 }));
    show('sized');
    expect(screen.getByTestId('detail-size').textContent).toBe('8 cores · 31.4 GB');
    cleanup();
    core.registry.update('sized', { maintenance: true });
    const since = '2026-11-24T09:30:00.000Z';
    show('sized', [{ seq: 1, node: 'sized', kind: 'transition', from: 'healthy', to: 'maintenance', reason: 'maintenance on', at: since }]);
    const state = screen.getByTestId('detail-state').textContent ?? '';
    expect(state).toMatch(/^ In maintenance since .*2026/);
    expect(state).not.toContain('ms');
    expect(screen.queryByTestId('detail-uptime')).toBeNull();
    expect(screen.queryByText('Probes')).toBeNull();
  });
});

describe('demo nodes (item 10)', () => {
  it('says the demo fleet is there and removes every demo node, and only those, in one action', async () => {
    core.registry.create(nodeInput('demo-x', { tags: ['demo'] }));
    core.registry.create(nodeInput('demo-y', { tags: ['web', 'demo'] }));
    core.registry.create(nodeInput('kept-z', { tags: ['web'] }));
    useClusterStore.setState({ api, nodes: new Map(core.registry.all().map((n) => [n.id, n])) });
    render(<DemoNotice />);
    expect(screen.getByTestId('demo-notice').textContent).toContain('2 demo nodes');
    fireEvent.click(screen.getByRole('button', { name: 'Remove demo nodes' }));
    expect(core.registry.get('demo-x')).toBeDefined(); // asks first
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove' }));
    await waitFor(() => expect(core.registry.get('demo-x')).toBeUndefined(), SLOW);
    expect(core.registry.get('demo-y')).toBeUndefined();
    expect(core.registry.get('kept-z')).toBeDefined();
  });
});

describe('Tailscale presence of a node registered by its MagicDNS name (item 16)', () => {
  it('matches the peer by name', () => {
    core.registry.create(nodeInput('by-dns', { tailscale_ip: 'named-box.tail1234.ts.net' }));
    core.tailscale.import(statusDocument([peer('named-box', '127.61.9.20', { Online: true })]), { dry_run: true });
    expect(core.tailscale.presence().nodes.find((n) => n.node_id === 'by-dns')).toMatchObject({ online: true });
  });
});

describe('command dialog (item 9)', () => {
  it('names the SSH user per node, and leaves out a node the moment its pushed state turns unhealthy', async () => {
    core.registry.create(nodeInput('cmd-a', { role: 'master', ssh: { user: 'ops' } }));
    core.registry.create(nodeInput('cmd-b', { ssh: { user: 'deploy', port: 2200 } }));
    const health = (status: 'healthy' | 'unhealthy') => ({ status, latency_ms: null, checked_at: null, error: null });
    useClusterStore.setState({ api, nodes: new Map(core.registry.all().map((n) => [n.id, n])), health: HealthIndex.of([['cmd-a', health('healthy')], ['cmd-b', health('healthy')]]) });
    render(<CommandDialog nodeIds={['cmd-a', 'cmd-b']} onClose={() => {}} />);
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(3), SLOW);
    const row = (id: string) => screen.getAllByRole('row').find((r) => r.getAttribute('data-target') === id)!;
    expect(row('cmd-a').textContent).toContain(`ops@${nodeInput('cmd-a').tailscale_ip}:22`);
    expect(row('cmd-b').textContent).toContain(`deploy@${nodeInput('cmd-b').tailscale_ip}:2200`);
    expect(screen.getByRole('heading').textContent).toBe('Run a command on 2 nodes');
    act(() => useClusterStore.setState({ health: HealthIndex.of([['cmd-a', health('healthy')], ['cmd-b', health('unhealthy')]]) }));
    expect(row('cmd-b').className).toBe('left-out');
    expect(screen.getByRole('heading').textContent).toBe('Run a command on 1 node');
    // Only a master is left: Run asks first and runs nothing yet.
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(screen.getByRole('alert').textContent).toBe('This runs on a master node: cmd-a. Run it there too?');
    expect(core.ssh.audit.list(10)).toEqual([]);
  });
});
