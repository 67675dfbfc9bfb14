import { describe, expect, it } from 'vitest';
import { guardDestructive } from '../../../src/core/mcp/destructive-guard';

const request = { tool: 'run_command', nodes: ['a', 'b'], detail: 'rm -rf /tmp/x' };

describe('destructive-action guard', () => {
  it('lets everything through under allow and nothing under deny', async () => {
    await expect(guardDestructive('allow', request)).resolves.toBeUndefined();
    await expect(guardDestructive('deny', request)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('run_command on a, b: rm -rf /tmp/x') });
  });

  it('asks a person under ask, showing the nodes and the exact command', async () => {
    const asked: unknown[] = [];
    await expect(guardDestructive('ask', request, async (r) => (asked.push(r), true))).resolves.toBeUndefined();
    expect(asked).toEqual([request]);
    await expect(guardDestructive('ask', request, async () => false)).rejects.toMatchObject({ message: expect.stringContaining('did not allow') });
    await expect(guardDestructive('ask', request, async () => Promise.reject(new Error('dialog crashed')))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('treats no answer in time, or no one to ask, as no', async () => {
    const started = Date.now();
    await expect(guardDestructive('ask', request, () => new Promise(() => {}), 200)).rejects.toMatchObject({ code: 'forbidden' });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(guardDestructive('ask', request)).rejects.toMatchObject({ message: expect.stringContaining('No one can be asked') });
  });
});
