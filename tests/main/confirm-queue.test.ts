import { describe, expect, it } from 'vitest';
import { createConfirmQueue, type MessageBoxRequest } from '../../src/main/confirm-queue';

// Issue 33, finding 1: the MCP confirmation dialog has a parent and a signal, shows one at a time with
// the others named, closes at the timeout, and an answer after it changes nothing.
type Shown = { parent: string; options: MessageBoxRequest; answer(response: number): void };

function harness(timeoutMs = 300) {
  const shown: Shown[] = [];
  const late: string[] = [];
  const confirm = createConfirmQueue<string>({
    parent: () => 'the-window',
    showMessageBox: (parent, options) =>
      new Promise((resolve) => {
        // As Electron does: an aborted box closes and resolves with its cancelId.
        options.signal.addEventListener('abort', () => resolve({ response: options.cancelId }));
        shown.push({ parent, options, answer: (response) => resolve({ response }) });
      }),
    t: (key, values) => `${key}${values ? ` ${JSON.stringify(values)}` : ''}`,
    onLateAnswer: (request) => late.push(request.tool),
    timeoutMs,
  });
  return { confirm, shown, late };
}
const request = (tool: string) => ({ tool, nodes: ['n1'], detail: `${tool} detail`, digest: tool });
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('the MCP confirmation queue', () => {
  it('gives the dialog a parent and a signal, and answers with the button pressed', async () => {
    const { confirm, shown } = harness(5000);
    const allowed = confirm(request('remove_node'));
    await tick();
    expect(shown).toHaveLength(1);
    expect(shown[0].parent).toBe('the-window');
    expect(shown[0].options.signal).toBeInstanceOf(AbortSignal);
    expect(shown[0].options.detail).toContain('remove_node detail');
    shown[0].answer(1);
    expect(await allowed).toBe(true);
    const denied = confirm(request('run_command'));
    await tick();
    shown[1].answer(0);
    expect(await denied).toBe(false);
  });

  it('shows one dialog at a time, naming those that wait, in order', async () => {
    const { confirm, shown } = harness(5000);
    const a = confirm(request('a_tool'));
    const b = confirm(request('b_tool'));
    const c = confirm(request('c_tool'));
    await tick();
    expect(shown).toHaveLength(1);
    expect(shown[0].options.detail).toContain('shell.confirmWaiting {"count":2,"tools":"b_tool, c_tool"}');
    shown[0].answer(0);
    await tick();
    expect(shown).toHaveLength(2);
    expect(shown[1].options.message).toContain('b_tool');
    shown[1].answer(1);
    await tick();
    shown[2].answer(1);
    expect([await a, await b, await c]).toEqual([false, true, true]);
  });

  it('closes the dialog at the timeout, refuses what waited behind it, and a late answer changes nothing', async () => {
    const { confirm, shown, late } = harness(200);
    const first = confirm(request('first'));
    const second = confirm(request('second'));
    expect(await first).toBe(false);
    expect(shown[0].options.signal.aborted).toBe(true);
    expect(await second).toBe(false); // it waited its whole timeout behind the first: never shown
    expect(shown).toHaveLength(1);

    // A dialog that ignores the signal and answers "allow" afterwards: still no, and the person is told.
    const stubborn = createConfirmQueue<string>({
      parent: () => 'w',
      showMessageBox: (_p, options) => new Promise((resolve) => options.signal.addEventListener('abort', () => setTimeout(() => resolve({ response: 1 }), 20))),
      t: (key) => key,
      onLateAnswer: (r) => late.push(r.tool),
      timeoutMs: 100,
    });
    expect(await stubborn(request('late_tool'))).toBe(false);
    expect(late).toEqual(['late_tool']);
  });
});
