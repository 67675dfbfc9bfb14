// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { AlertChannelsPanel } from '../../src/renderer/src/components/AlertChannelsPanel';
import { setupI18n } from '../../src/renderer/src/i18n/setup-i18n';
import { useClusterStore } from '../../src/renderer/src/store/cluster-store';
import { ApiError } from '../../src/shared/bridge-client';
import { createCore, type Core } from '../../src/core/app-core';
import { createApiHandlers, invokeHandler } from '../../src/core/api/api-handlers';
import { OrchestratorError } from '../../src/shared/errors';
import { DEFAULT_MONITOR_SETTINGS } from '../../src/shared/schemas/settings';
import type { OrchestratorApi } from '../../src/shared/api-contract';
import { startHttpSink, type HttpSink } from '../helpers/alert-sinks';
import { tempDir } from '../helpers/temp-dir';

// The panel talks to the real core's handlers (as IPC and the bridge do), which send to real receivers on 127.57.104.x.
let core: Core;
let good: HttpSink;
let broken: HttpSink;

beforeAll(async () => {
  setupI18n('en');
  good = await startHttpSink('127.57.104.1');
  broken = await startHttpSink('127.57.104.2');
  broken.setMode('fail');
  core = createCore({ dataDir: tempDir(), settings: DEFAULT_MONITOR_SETTINGS, log: () => {}, alerts: { delivery: { attempts: 2, baseDelayMs: 20, timeoutMs: 500 } } });
  const handlers = createApiHandlers(core, 'test');
  const api: OrchestratorApi = {
    invoke: (channel, arg) =>
      invokeHandler(handlers, channel, arg).catch((error: Error) => {
        throw new ApiError(error instanceof OrchestratorError ? error.toJSON() : { error: 'internal_error', message: error.message, details: [] });
      }) as never,
    on: () => () => {},
  };
  useClusterStore.setState({ api });
});
afterEach(cleanup);
afterAll(async () => {
  await core?.close();
  await good?.close();
  await broken?.close();
});

const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('AlertChannelsPanel on the real core', () => {
  it('adds channels with field errors from the shared schema, sends tests, and shows a failing channel', async () => {
    render(<AlertChannelsPanel />);
    await screen.findByText(/No channels/);
    fill('Id', 'hook');
    fill('Webhook URL', 'ftp://example');
    fireEvent.click(screen.getByText('Add channel'));
    expect((await screen.findByRole('alert')).textContent).toBe('Webhook URL: must be an http(s) URL');

    fill('Webhook URL', `${good.base}/hook/secret12345`);
    fireEvent.click(screen.getByText('Add channel'));
    await screen.findByText(`${good.base}/hook/***`);
    expect(core.alerts.list().channels.map((c) => c.channel.id)).toEqual(['hook']);

    fireEvent.click(screen.getByText('Send test'));
    await screen.findByText('hook: delivered');
    expect(good.received.map((r) => [r.path, (r.json as { event: string }).event])).toEqual([['/hook/secret12345', 'test']]);
    await screen.findByText('1 sent, 0 failed');

    fill('Id', 'down');
    fill('Webhook URL', `${broken.base}/x`);
    fireEvent.click(screen.getByText('Add channel'));
    await screen.findByText('down');
    fireEvent.click(screen.getAllByText('Send test')[1]);
    await screen.findByText(/^down: not delivered — HTTP 500.*\(a test is sent once, without retries; alerts are tried 2 times\)$/);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/^Failing: 0 sent, 1 failed; last failure .*HTTP 500: receiver broken/));
    expect(core.eventLog.list().filter((e) => e.kind === 'alert_failed').map((e) => e.to)).toEqual(['down']);

    fireEvent.click(screen.getAllByText('Remove')[1]);
    await waitFor(() => expect(core.alerts.list().channels.map((c) => c.channel.id)).toEqual(['hook']));
  });

  it('adds an Alertmanager channel: every peer URL, which entry is wrong, the resend interval and silence-on-mute', async () => {
    render(<AlertChannelsPanel />);
    await screen.findByText('hook');
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'alertmanager' } });
    fill('Id', 'am');
    fill('Alertmanager peers (every URL, comma-separated)', 'http://127.57.104.9:9093, am-2:9093');
    fill('Resend every (seconds)', '0');
    fireEvent.click(screen.getByText('Add channel'));
    await waitFor(() =>
      expect(screen.getAllByRole('alert').map((e) => e.textContent)).toEqual([
        'Alertmanager peers (every URL, comma-separated): must be an http(s) URL (#2)',
        'Resend every (seconds): must be at least 0.2 s',
      ]),
    );
    fill('Alertmanager peers (every URL, comma-separated)', 'http://127.57.104.9:9093, http://127.57.104.10:9093');
    fill('Resend every (seconds)', '30');
    fireEvent.click(screen.getByLabelText(/also creates an Alertmanager silence/));
    fireEvent.click(screen.getByText('Add channel'));
    await screen.findByText('http://127.57.104.9:9093, http://127.57.104.10:9093');
    expect(core.alerts.list().channels.find((c) => c.channel.id === 'am')!.channel).toEqual({
      id: 'am', type: 'alertmanager', enabled: true, urls: ['http://127.57.104.9:9093', 'http://127.57.104.10:9093'], resend_interval_s: 30, silence_on_mute: true,
    });
  });
});
