import type { InvokeChannel, OrchestratorApi, PushEventName, PushEvents } from '../../src/shared/api-contract';

/** An in-memory `window.api` for component tests: records calls, answers from a table, pushes events. */
export function fakeApi(answers: Partial<Record<InvokeChannel, (arg: unknown) => unknown>>) {
  const calls: Array<{ channel: InvokeChannel; arg: unknown }> = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: OrchestratorApi = {
    async invoke(channel, arg) {
      calls.push({ channel, arg });
      // Component tests act as the desktop's owner unless they say otherwise.
      const answer = answers[channel] ?? (channel === 'auth:whoami' ? () => ({ name: 'admin', scope: 'admin' }) : undefined);
      if (!answer) throw new Error(`no fake answer for ${channel}`);
      return (await answer(arg)) as never;
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
  const push = <E extends PushEventName>(event: E, payload: PushEvents[E]) => listeners.get(event)?.forEach((l) => l(payload));
  return { api, calls, push };
}
