import type { DestructiveRequest } from '../core/mcp/destructive-guard';

// The person's yes or no to an agent's destructive MCP call, one dialog at a time.
//
// Why a parent and a signal: on macOS a message box without a parent window runs synchronously
// (Electron docs/api/dialog.md: "`signal` does not work with message boxes that do not have a parent
// window, since those message boxes run synchronously"), which would stop the monitor, the tray and
// the sockets until someone answers. With a parent, the box is asynchronous and the AbortSignal
// closes it at the timeout, so "no answer means no" really ends it.

export interface MessageBoxRequest {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  signal: AbortSignal;
}

export interface ConfirmQueueDeps<W> {
  /** A window to own the dialog: the app's window, shown for it if it is hidden. */
  parent(): W;
  showMessageBox(parent: W, options: MessageBoxRequest): Promise<{ response: number }>;
  t(key: string, values?: Record<string, unknown>): string;
  /** Told when an answer came after its timeout (it changes nothing). */
  onLateAnswer(request: DestructiveRequest): void;
  timeoutMs: number;
}

const ALLOW = 1;

/** Asks for each request in turn; a request still waiting at its timeout is refused without a dialog. */
export function createConfirmQueue<W>(deps: ConfirmQueueDeps<W>): (request: DestructiveRequest) => Promise<boolean> {
  const waiting: Array<{ request: DestructiveRequest; signal: AbortSignal; deadline: number; resolve(allowed: boolean): void }> = [];
  // A request with less than a tenth of its time left is refused rather than flashed on screen.
  const tooLate = (deadline: number) => deadline - Date.now() < deps.timeoutMs / 10;
  let showing = false;

  const next = async (): Promise<void> => {
    if (showing) return;
    const item = waiting.shift();
    if (!item) return;
    if (item.signal.aborted || tooLate(item.deadline)) return (item.resolve(false), next());
    showing = true;
    const { request, signal } = item;
    const others = waiting.filter((w) => !w.signal.aborted).map((w) => w.request.tool);
    try {
      const { response } = await deps.showMessageBox(deps.parent(), {
        type: 'warning',
        title: deps.t('shell.confirmTitle'),
        message: deps.t('shell.confirmMessage', { tool: request.tool, count: request.nodes.length, nodes: request.nodes.join(', ') }),
        detail: [request.detail, deps.t('shell.confirmTimeout', { seconds: Math.round(deps.timeoutMs / 1000) }), others.length > 0 ? deps.t('shell.confirmWaiting', { count: others.length, tools: others.join(', ') }) : ''].filter(Boolean).join('\n\n'),
        buttons: [deps.t('shell.deny'), deps.t('shell.allowOnce')],
        defaultId: 0,
        cancelId: 0,
        signal,
      });
      // An answer after the timeout changes nothing: the agent was already refused.
      if (signal.aborted) {
        if (response === ALLOW) deps.onLateAnswer(request);
        item.resolve(false);
      } else item.resolve(response === ALLOW);
    } catch {
      item.resolve(false);
    } finally {
      showing = false;
      void next();
    }
  };

  return (request) =>
    new Promise<boolean>((resolve) => {
      const signal = AbortSignal.timeout(deps.timeoutMs);
      const item = { request, signal, deadline: Date.now() + deps.timeoutMs, resolve };
      // Refused at its timeout even while it waits behind another dialog.
      signal.addEventListener('abort', () => {
        const at = waiting.indexOf(item);
        if (at >= 0) {
          waiting.splice(at, 1);
          resolve(false);
        }
      });
      waiting.push(item);
      // The next turn, so that requests arriving together are named in the first dialog.
      setImmediate(() => void next());
    });
}
