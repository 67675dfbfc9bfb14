import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer lint rule', () => {
  it.each([
    ['src/shared/x.ts', "import { app } from 'electron';"],
    ['src/shared/x.ts', "import fs from 'node:fs';"],
    ['src/shared/x.ts', "import { NodeRegistry } from '../core/registry/node-registry';"],
    ['src/core/x.ts', "import { app } from 'electron';"],
    ['src/core/x.ts', "import Store from 'electron-store';"],
    ['src/core/x.ts', "import { start } from '../server/cli';"],
    ['src/server/x.ts', "import { BrowserWindow } from 'electron';"],
    ['src/renderer/src/x.ts', "import fs from 'fs';"],
    ['src/renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
    ['src/renderer/src/x.ts', "import { NodeRegistry } from '../../core/registry/node-registry';"],
    ['src/preload/x.ts', "import { NodeRegistry } from '../core/registry/node-registry';"],
  ])('fails %s importing upward: %s', async (file, code) => {
    const errors = await layerErrors(file, code);
    expect(errors.length).toBe(1);
    expect(errors[0]).toContain('layer rule');
  });

  it.each([
    ['src/core/x.ts', "import { NodeSchema } from '../shared/schemas/node';\nimport fs from 'node:fs';"],
    ['src/core/x.ts', "import { McpServer } from '@modelcontextprotocol/server';"],
    ['src/main/x.ts', "import { app } from 'electron';\nimport { NodeRegistry } from '../core/registry/node-registry';"],
    ['src/renderer/src/x.ts', "import { NodeSchema } from '../../shared/schemas/node';"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron';"],
  ])('allows %s importing downward', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
