import { INVOKE_CHANNELS, type ApiErrorPayload } from '../shared/api-contract';
import { OrchestratorError } from '../shared/errors';
import { invokeHandler, type ApiHandlers } from '../core/api/api-handlers';
import { isTrustedSender } from './window-policy';

/** The part of Electron's ipcMain the helper uses (injected, so it is tested without Electron). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string; parent?: unknown } | null }, arg: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export type IpcEnvelope = { ok: true; result: unknown } | { ok: false; error: ApiErrorPayload };

/**
 * Registers every contract channel through one helper: the sender must be the app's own main frame,
 * and the argument is parsed with the channel's shared zod schema before the core sees it. Errors
 * travel as data, so field-level details survive IPC.
 */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: ApiHandlers, appUrl: () => string): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, arg): Promise<IpcEnvelope> => {
      if (!isTrustedSender(event.senderFrame, appUrl())) {
        return { ok: false, error: { error: 'forbidden', message: `IPC from ${event.senderFrame?.url ?? 'an unknown frame'} refused`, details: [{ field: 'sender', message: 'not the app window' }] } };
      }
      try {
        return { ok: true, result: await invokeHandler(handlers, channel, arg) };
      } catch (error) {
        const e = error instanceof OrchestratorError ? error : new OrchestratorError('internal_error', (error as Error).message);
        return { ok: false, error: e.toJSON() };
      }
    });
  }
  return () => INVOKE_CHANNELS.forEach((channel) => ipcMain.removeHandler(channel));
}

export { PUSH_CHANNEL } from '../shared/api-channels';
