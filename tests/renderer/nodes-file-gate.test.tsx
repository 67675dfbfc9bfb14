// @vitest-environment happy-dom
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { createCore, type Core } from '../../src/core/app-core';
import { DEFAULT_MONITOR_SETTINGS } from '../../src/shared/schemas/settings';
import type { OrchestratorApi } from '../../src/shared/api-contract';
import { createClusterStore, useClusterStore } from '../../src/renderer/src/store/cluster-store';
import { setupI18n } from '../../src/renderer/src/i18n/setup-i18n';
import { NodeDetail } from '../../src/renderer/src/components/NodeDetail';
import { nodeInput } from '../helpers/nodes';
import { tempDir } from '../helpers/temp-dir';
import { apiOverCore } from '../helpers/core-api';

// A window over a core in nodes-file sync mode: what the file defines is disabled, saying why; operations stay.
let core: Core;
let api: OrchestratorApi;
let file: string;

beforeAll(() => {
  file = path.join(tempDir(), 'fleet.json');
  fs.writeFileSync(file, JSON.stringify({ nodes: { 'f-1': nodeInput('f-1') } }));
  core = createCore({ dataDir: tempDir(), settings: DEFAULT_MONITOR_SETTINGS, log: () => {}, ssh: { metricsIntervalMs: 0 }, nodesFilePath: file, nodesFileMode: 'sync' });
  core.monitor.stop();
  api = apiOverCore(core);
});
afterAll(() => core?.close());
beforeEach(() => setupI18n('en'));
afterEach(cleanup);

describe('nodes defined by a file (sync mode) in the window', () => {
  it('the store learns the file; edit and delete are disabled naming it, mute and maintenance are not', async () => {
    const store = createClusterStore();
    await store.getState().init(api);
    expect(store.getState().definedBy).toBe(path.resolve(file));
    useClusterStore.setState({ ...store.getState(), selectedId: 'f-1' });
    render(<NodeDetail onEdit={() => {}} onRun={() => {}} />);
    const edit = screen.getByRole('button', { name: 'Edit' }) as HTMLButtonElement;
    expect(edit.disabled).toBe(true);
    expect(edit.title).toBe(`The nodes are defined by ${path.resolve(file)} (sync mode): change them there.`);
    expect((screen.getByRole('button', { name: 'Delete' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByLabelText('Mute notifications') as HTMLSelectElement).disabled).toBe(false);
    await waitFor(() => expect(screen.queryByTestId('node-silences')).toBeNull()); // no Alertmanager channel: nothing shown
  });

  it('the service refuses the same writes with 409 naming the file', async () => {
    await expect(api.invoke('nodes:remove', { id: 'f-1' })).rejects.toMatchObject({ payload: { error: 'conflict', message: expect.stringContaining(path.resolve(file)) } });
    await expect(api.invoke('nodes:mute', { id: 'f-1', hours: 1 })).resolves.toMatchObject({ id: 'f-1' });
  });
});
