// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { setupI18n } from '../../src/renderer/src/i18n/setup-i18n';
import { useClusterStore } from '../../src/renderer/src/store/cluster-store';
import { Header } from '../../src/renderer/src/components/Header';
import { NodeTable } from '../../src/renderer/src/components/NodeTable';
import { SettingsDialog } from '../../src/renderer/src/components/SettingsDialog';
import { Ago } from '../../src/renderer/src/components/Ago';
import { fastT, fixedT } from '../../src/renderer/src/i18n/fast-t';
import { i18n } from '../../src/renderer/src/i18n/setup-i18n';
import { ApiError } from '../../src/shared/bridge-client';
import { createCore, type Core } from '../../src/core/app-core';
import { DEFAULT_MONITOR_SETTINGS } from '../../src/shared/schemas/settings';
import type { OrchestratorApi } from '../../src/shared/api-contract';
import type { HealthEvent } from '../../src/shared/schemas/health';
import { loadedStoreFixture, nodeFixture } from './fixtures';
import { tempDir } from '../helpers/temp-dir';
import { apiOverCore } from '../helpers/core-api';
import { startTestService } from '../helpers/service';

// Items 5, 7 and 8 of issue 17 against the real core's handlers (as IPC and the bridge call them).
let core: Core;
let api: OrchestratorApi;
const initial = useClusterStore.getState();

beforeAll(() => {
  setupI18n('en');
  core = createCore({ dataDir: tempDir(), settings: DEFAULT_MONITOR_SETTINGS, log: () => {} });
  api = apiOverCore(core);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  useClusterStore.setState(initial, true);
});
afterAll(async () => {
  await core?.close();
});

function loadNodes(nodes: ReturnType<typeof nodeFixture>[], events: HealthEvent[] = []) {
  useClusterStore.setState({ api, ...loadedStoreFixture(nodes), events });
}

describe('an empty fleet (item 7)', () => {
  it('shows dashes for availability and "no sweep yet" instead of an age', () => {
    loadNodes([]);
    render(<Header onAdd={() => {}} onImport={() => {}} onSettings={() => {}} />);
    expect(screen.getByTestId('availability').textContent).toBe('—');
    expect(screen.getByTestId('last-sweep').textContent).toBe('no sweep yet');
    expect(screen.queryByText(/0\.0\s*%/)).toBeNull();
  });
});

describe('maintenance and muted nodes in the table (item 5)', () => {
  it('shows no latency and no probe dots in maintenance, says since when, and marks a muted node', () => {
    // Five minutes ago, but never yesterday: a time from another day is shown with its date.
    const since = new Date(Math.max(Date.now() - 5 * 60_000, new Date().setHours(0, 0, 0, 0))).toISOString();
    const maint = nodeFixture('m-1', 'maintenance', { maintenance: true });
    maint.health = { ...maint.health, latency_ms: 4.2, checked_at: since, recent: '1111', uptime_24h: 1 }; // left over from before
    const muted = nodeFixture('q-1', 'healthy', { muted_until: new Date(Date.now() + 3_600_000).toISOString() });
    const plain = nodeFixture('p-1', 'healthy');
    loadNodes([maint, muted, plain], [{ seq: 1, node: 'm-1', kind: 'transition', from: 'healthy', to: 'maintenance', reason: 'maintenance started', at: since }]);
    // happy-dom lays nothing out: give the table's scroll box a size so the virtualiser renders rows.
    const sizes = { clientHeight: 600, clientWidth: 1200, offsetHeight: 600, offsetWidth: 1200 };
    for (const [prop, value] of Object.entries(sizes)) Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
    render(<NodeTable rows={['m-1', 'q-1', 'p-1']} />);
    for (const prop of Object.keys(sizes)) delete (HTMLElement.prototype as unknown as Record<string, unknown>)[prop];
    const row = (id: string) => document.querySelector(`[data-node-id="${id}"]`) as HTMLElement;
    expect(row('m-1')).not.toBeNull();
    expect(row('m-1').querySelector('.c-latency')!.textContent).toBe('—');
    expect(row('m-1').querySelector('.heartbeat')).toBeNull();
    expect(within(row('m-1')).getByTestId('maintenance-since').textContent).toMatch(/^in maintenance since \d{2}:\d{2}/);
    expect(within(row('q-1')).getByTestId('muted-mark').textContent).toBe('muted');
    expect(within(row('q-1')).getByTestId('muted-mark').getAttribute('title')).toMatch(/^Muted until /);
    expect(within(row('p-1')).queryByTestId('muted-mark')).toBeNull();
    expect(row('p-1').querySelector('.c-latency')!.textContent).toBe('1.5 ms');
  });
});

describe('relative times (item 1)', () => {
  it('tick every second and go stale after two intervals or when disconnected', () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:10Z') });
    useClusterStore.setState({ connection: 'open', intervalS: 2 });
    render(<Ago iso="2026-01-01T00:00:08Z" empty="—" testId="ago" />);
    const ago = () => screen.getByTestId('ago');
    expect(ago().textContent).toMatch(/^2\s?s(ec\.?)? ago$|^2 seconds ago$/);
    expect(ago().getAttribute('data-stale')).toBe('false');
    act(() => void vi.advanceTimersByTime(3000));
    expect(ago().textContent).toMatch(/^5/);
    expect(ago().getAttribute('data-stale')).toBe('true'); // 5 s > 2 × 2 s
    expect(ago().textContent).toContain('stale');
    act(() => useClusterStore.setState({ intervalS: 60 }));
    expect(ago().getAttribute('data-stale')).toBe('false');
    act(() => useClusterStore.setState({ connection: 'closed' }));
    expect(ago().getAttribute('data-stale')).toBe('true');
    expect(ago().getAttribute('title')).toMatch(/not reachable/);
  });
});

describe('settings errors (item 8)', () => {
  const field = (label: string) => screen.getByLabelText(label).closest('.field') as HTMLElement;
  const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
  const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save' }));

  it('names the field in words, once, next to it; refuses a timeout longer than the interval', async () => {
    useClusterStore.setState({ api, connection: 'open' });
    render(<SettingsDialog onClose={() => {}} />);
    await waitFor(() => expect((screen.getByLabelText('Check interval (s)') as HTMLInputElement).value).toBe('15'));

    fill('Check interval (s)', 'abc');
    fill('Failures before unhealthy', '1.5');
    save();
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    expect(within(field('Check interval (s)')).getByRole('alert').textContent).toBe('Interval must be a number of seconds');
    expect(within(field('Failures before unhealthy')).getByRole('alert').textContent).toBe('Failures before unhealthy must be a whole number');
    expect(document.body.textContent).not.toMatch(/expected|NaN|received/);

    fill('Check interval (s)', '0');
    fill('Failures before unhealthy', '2');
    save();
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['Interval must be at least 1']));

    fill('Check interval (s)', '10');
    fill('Probe timeout (s)', '12');
    save();
    await waitFor(() =>
      expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['Timeout must not be longer than the interval (10 s): a probe would still be running when the next sweep starts']),
    );
    expect(within(field('Probe timeout (s)')).getByRole('alert')).toBeTruthy();
    expect(core.monitor.settings).toMatchObject({ interval_s: 15, timeout_s: 5 }); // nothing was sent

    // Issue 40, item 15: an error shows as the field is left, and goes as soon as the value is fixed.
    cleanup();
    render(<SettingsDialog onClose={() => {}} />);
    await waitFor(() => expect((screen.getByLabelText('Check interval (s)') as HTMLInputElement).value).toBe('15'));
    fill('Check interval (s)', 'abc');
    expect(screen.queryAllByRole('alert')).toEqual([]); // not while typing
    fireEvent.blur(screen.getByLabelText('Check interval (s)'));
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['Interval must be a number of seconds']));
    fill('Check interval (s)', '20');
    await waitFor(() => expect(screen.queryAllByRole('alert')).toEqual([]));

    const closed = vi.fn();
    cleanup();
    render(<SettingsDialog onClose={closed} />);
    await waitFor(() => expect((screen.getByLabelText('Check interval (s)') as HTMLInputElement).value).toBe('15'));
    fill('Check interval (s)', '10');
    fill('Probe timeout (s)', '8');
    save();
    await waitFor(() => expect(closed).toHaveBeenCalled());
    expect(core.monitor.settings).toMatchObject({ interval_s: 10, timeout_s: 8 });
    expect(useClusterStore.getState().intervalS).toBe(10);
  });

  it('is the same rule in the service: IPC and REST refuse a timeout longer than the interval, naming the field', async () => {
    const refused = await api.invoke('settings:update', { interval_s: 1 }).catch((e: ApiError) => e.payload);
    expect(refused).toMatchObject({ error: 'validation_error', details: [{ field: 'timeout_s', message: expect.stringMatching(/^must not be longer than the interval \(1 s\)/) }] });
    expect(core.monitor.settings.interval_s).toBe(10);
    const service = await startTestService({ HOST: '127.60.0.101', HEALTH_CHECK_INTERVAL: 15, HEALTH_CHECK_TIMEOUT: 5 });
    try {
      const put = await service.call('PUT', '/cluster/settings', { body: { timeout_s: 20 } });
      expect(put.status).toBeGreaterThanOrEqual(400);
      expect(put.status).toBeLessThan(500);
      expect(put.body.details).toEqual([{ field: 'timeout_s', message: 'must not be longer than the interval (15 s): a probe would still be running when the next sweep starts' }]);
      expect((await service.call('PUT', '/cluster/settings', { body: { timeout_s: 15 } })).status).toBe(200); // equal is fine
      expect((await service.call('PUT', '/cluster/settings', { body: { failure_threshold: 3 } })).status).toBe(200); // other fields are not held up
    } finally {
      await service.close();
    }
  });
});

describe('cached messages for the table', () => {
  it('fill the same text as t() in each language', async () => {
    const vars = { count: 30, failed: 2 };
    expect(fastT('table.heartbeat', vars)).toBe(i18n.t('table.heartbeat', vars));
    expect(fastT('table.ms', { value: '1.5' })).toBe('1.5 ms');
    expect(fixedT('clock.stale')).toBe('stale');
    await i18n.changeLanguage('ko');
    try {
      expect(fastT('table.heartbeat', vars)).toBe('최근 30회 확인 중 2회 실패');
      expect(fastT('table.ms', { value: '1.5' })).toBe('1.5ms');
      expect(fixedT('clock.stale')).toBe('오래된 정보');
    } finally {
      await i18n.changeLanguage('en');
    }
  });
});
