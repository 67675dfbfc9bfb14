import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { registerIpcHandlers, type IpcEnvelope, type IpcMainLike } from '../../src/main/ipc';
import { createApiHandlers } from '../../src/core/api/api-handlers';
import { createCore, type Core } from '../../src/core/app-core';
import { INVOKE_CHANNELS, invokeArgs, type InvokeArg, type InvokeChannel, type InvokeResults, type OrchestratorApi } from '../../src/shared/api-contract';
import type { ClusterStatus } from '../../src/shared/schemas/health';
import type { Node } from '../../src/shared/schemas/node';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { nodeInput } from '../helpers/nodes';
import { tempDir } from '../helpers/temp-dir';

const APP = 'file:///opt/app/out/renderer/index.html';
let core: Core;
const handlers = new Map<string, (event: { senderFrame: { url: string; parent?: unknown } | null }, arg: unknown) => Promise<unknown>>();
const ipcMain: IpcMainLike = { handle: (channel, fn) => void handlers.set(channel, fn), removeHandler: (channel) => void handlers.delete(channel) };
const invoke = (channel: string, arg: unknown, url = APP) => handlers.get(channel)!({ senderFrame: { url } }, arg) as Promise<IpcEnvelope>;

beforeAll(() => {
  core = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({}), ssh: { metricsIntervalMs: 0 } });
  registerIpcHandlers(ipcMain, createApiHandlers(core, 'desktop-ui'), () => APP);
});
afterAll(() => core.close());

describe('IPC helper', () => {
  it('registers every contract channel', () => {
    expect([...handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(invokeArgs).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('answers the app window with results', async () => {
    expect(await invoke('nodes:create', nodeInput('ipc-1'))).toMatchObject({ ok: true, result: { id: 'ipc-1' } });
    const listed = await invoke('nodes:list', { q: 'ipc' });
    expect(listed.ok && (listed.result as Node[]).map((n) => n.id)).toEqual(['ipc-1']);
  });

  it('refuses a foreign sender and a sub-frame', async () => {
    expect(await invoke('nodes:list', {}, 'https://evil.example/')).toMatchObject({ ok: false, error: { error: 'forbidden', details: [{ field: 'sender' }] } });
    const framed = await handlers.get('nodes:list')!({ senderFrame: { url: APP, parent: {} } }, {});
    expect(framed).toMatchObject({ ok: false, error: { error: 'forbidden' } });
  });

  it('refuses invalid arguments with field-level errors before the core sees them', async () => {
    expect(await invoke('nodes:list', { role: 'boss' })).toMatchObject({ ok: false, error: { error: 'validation_error', details: [{ field: 'role' }] } });
    expect(await invoke('nodes:update', { id: 'ipc-1', patch: { memory_gb: -1 } })).toMatchObject({ ok: false, error: { details: [{ field: 'patch.memory_gb' }] } });
    expect(await invoke('nodes:create', { ...nodeInput('ipc-2'), tailscale_ip: 'x y' })).toMatchObject({ ok: false, error: { details: [{ field: 'tailscale_ip' }] } });
    // One node per address, with the node that has it named (issue 17, item 11).
    expect(await invoke('nodes:create', { ...nodeInput('ipc-2'), tailscale_ip: nodeInput('ipc-1').tailscale_ip })).toMatchObject({
      ok: false,
      error: { error: 'conflict', details: [{ field: 'tailscale_ip', message: 'is already used by node "ipc-1"' }] },
    });
    expect(await invoke('nodes:get', { id: 'nope' })).toMatchObject({ ok: false, error: { error: 'not_found' } });
    expect(core.registry.get('ipc-2')).toBeUndefined();
  });

  it('has a contract whose types line up (type-level test)', () => {
    expectTypeOf<InvokeResults['cluster:status']>().toEqualTypeOf<ClusterStatus>();
    expectTypeOf<InvokeArg<'nodes:get'>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<InvokeChannel>().toEqualTypeOf<keyof typeof invokeArgs>();
    expectTypeOf<keyof InvokeResults>().toEqualTypeOf<InvokeChannel>();
    expectTypeOf<OrchestratorApi['invoke']>().parameter(0).toEqualTypeOf<InvokeChannel>();
    expectTypeOf<ReturnType<OrchestratorApi['invoke']>>().toEqualTypeOf<Promise<InvokeResults[InvokeChannel]>>();
  });
});
