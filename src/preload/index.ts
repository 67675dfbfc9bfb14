import { contextBridge, ipcRenderer } from 'electron';
import { INVOKE_CHANNELS, PUSH_CHANNEL, PUSH_EVENTS } from '../shared/api-channels';
import type { ShellBridge } from '../shared/api-contract';

// The one object the renderer gets: a method to invoke contract channels and one to listen to
// pushed events. ipcRenderer itself is never exposed.
const channels = new Set<string>(INVOKE_CHANNELS);
const events = new Set<string>(PUSH_EVENTS);

const api: ShellBridge = {
  invoke(channel, arg) {
    if (!channels.has(channel)) return Promise.resolve({ ok: false, error: { error: 'bad_request', message: `unknown channel ${channel}`, details: [{ field: 'channel', message: 'unknown' }] } });
    return ipcRenderer.invoke(channel, arg);
  },
  on(event, listener) {
    if (!events.has(event)) throw new Error(`unknown event ${event}`);
    const handler = (_: unknown, message: { event: string; payload: never }) => {
      if (message.event === event) listener(message.payload);
    };
    ipcRenderer.on(PUSH_CHANNEL, handler);
    return () => ipcRenderer.removeListener(PUSH_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('api', api);
// The shell asks the page to show a node (tray menu, notification click).
ipcRenderer.on('mco:show-node', (_event, id: string) => (globalThis as unknown as EventTarget).dispatchEvent(new CustomEvent('mco:show-node', { detail: id })));
