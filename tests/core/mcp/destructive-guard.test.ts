import { describe, expect, it } from 'vitest';
import { guardDestructive, type ConfirmDestructive, type ElicitAnswer } from '../../../src/core/mcp/destructive-guard';

const request = { tool: 'run_command', nodes: ['a', 'b'], detail: 'command: "rm -rf /tmp/x"', digest: 'd' };
const viaDialog = (dialog: ConfirmDestructive) => ({ client: 'claude-code', dialog });
const viaElicitation = (answer: (question: string) => Promise<ElicitAnswer>) => ({ client: 'claude-code', elicit: answer, dialog: async () => true });

describe('destructive-action guard', () => {
  it('lets everything through under allow and nothing under deny', async () => {
    await expect(guardDestructive('allow', request)).resolves.toMatch(/command policy \(allow\)/);
    await expect(guardDestructive('deny', request)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('policy (deny): run_command on a, b.') });
  });

  it('asks a person in the desktop dialog under ask, showing the nodes and the exact command', async () => {
    const asked: unknown[] = [];
    await expect(guardDestructive('ask', request, viaDialog(async (r) => (asked.push(r), true)))).resolves.toMatch(/desktop app/);
    expect(asked).toEqual([request]);
    await expect(guardDestructive('ask', request, viaDialog(async () => false))).rejects.toMatchObject({ message: expect.stringContaining('did not allow') });
    await expect(guardDestructive('ask', request, viaDialog(async () => Promise.reject(new Error('dialog crashed'))))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('asks the person at the client first when it can, and names the client in every outcome', async () => {
    const questions: string[] = [];
    await expect(guardDestructive('ask', request, viaElicitation(async (q) => (questions.push(q), 'allow')))).resolves.toBe('allowed by the person at claude-code (elicitation)');
    expect(questions).toEqual(['An agent at claude-code asks to run run_command on a, b, with exactly these arguments:\ncommand: "rm -rf /tmp/x"\nAllow it?']);
    for (const answer of ['decline', 'cancel'] as const) {
      await expect(guardDestructive('ask', request, viaElicitation(async () => answer))).rejects.toMatchObject({ message: expect.stringContaining('declined by the person at the client (claude-code)') });
    }
    await expect(guardDestructive('ask', request, viaElicitation(async () => 'timeout'), 2000)).rejects.toMatchObject({ message: 'No answer from the person at claude-code within 2 s: run_command on a, b refused' });
    await expect(guardDestructive('ask', request, viaElicitation(async () => Promise.reject(new Error('gone'))))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('treats no answer in time, or no one to ask, as no, and says which setting would allow it', async () => {
    const started = Date.now();
    await expect(guardDestructive('ask', request, viaDialog(() => new Promise(() => {})), 200)).rejects.toMatchObject({ code: 'forbidden' });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(guardDestructive('ask', request, { client: 'cursor' })).rejects.toMatchObject({
      message: expect.stringMatching(/^cursor cannot ask a person .*MCP_COMMAND_POLICY=allow/),
      details: [{ field: 'policy', message: 'ask: the client cannot ask a person' }],
    });
  });
});
