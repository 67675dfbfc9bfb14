import { describe, expect, it } from 'vitest';
import { NodePatchSchema, NodeSchema } from '../../src/shared/schemas/node';
import { invokeArgs } from '../../src/shared/api-contract';
import { nodeInput } from '../helpers/nodes';

// hostname and description rules live in the shared node schema, so REST, IPC, MCP and imports all
// refuse the same characters; the REST and MCP answers are checked in http-hardening and mcp-faces.
const badHostnames = {
  'zero-width space': 'a\u200bb',
  'zero-width joiner': 'a\u200db',
  'right-to-left override': 'a\u202eb',
  'left-to-right isolate': 'a\u2066b',
  'arabic letter mark': 'a\u061cb',
  'soft hyphen': 'a\u00adb',
  DEL: 'a\u007fb',
  'C1 next line': 'a\u0085b',
  'byte order mark': '\ufeffab',
  NUL: 'a\u0000b',
  'no-break space': 'a\u00a0b',
};
const badDescriptions = {
  NUL: 'a\u0000b',
  'ANSI colour escape': 'ok \u001b[31mred\u001b[0m',
  'C1 CSI': 'a\u009b31m',
  'bell': 'a\u0007',
  'right-to-left override': 'invoice \u202egpj.exe',
  'first strong isolate': 'a\u2068b',
};

describe('text rules of the node schema', () => {
  it.each(Object.entries(badHostnames))('refuses a hostname with a %s', (_name, hostname) => {
    const result = NodeSchema.safeParse(nodeInput('t-1', { hostname }));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['hostname'], message: expect.stringMatching(/control, bidi or zero-width/) });
    expect(NodePatchSchema.safeParse({ hostname }).success).toBe(false);
    expect(invokeArgs['nodes:update'].safeParse({ id: 't-1', patch: { hostname } }).success).toBe(false);
  });

  it.each(Object.entries(badDescriptions))('refuses a description with a %s', (_name, description) => {
    const result = NodeSchema.safeParse(nodeInput('t-1', { description }));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['description'] });
    expect(NodePatchSchema.safeParse({ description }).success).toBe(false);
  });

  it('keeps accepting ordinary names and text, including non-ASCII letters, emoji, tabs and newlines', () => {
    for (const hostname of ['gpu-box', 'host.example.com', 'nœud-1', 'サーバー', 'Ünïcödé_2']) expect(NodeSchema.safeParse(nodeInput('t-1', { hostname })).success, hostname).toBe(true);
    for (const description of ['', 'line one\nline two\ttabbed\r\n', 'café — 24 cores', 'team 👩‍💻 (ZWJ emoji)', 'עברית and العربية']) {
      expect(NodeSchema.safeParse(nodeInput('t-1', { description })).success, description).toBe(true);
    }
  });
});
