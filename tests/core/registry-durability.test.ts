import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { confStoreFactory } from '../../src/core/registry/json-store';
import { NodeRegistry } from '../../src/core/registry/node-registry';
import { tempDir } from '../helpers/temp-dir';

/** Starts a writer, waits for `acks` acknowledged writes, SIGKILLs it and returns what it acknowledged. */
function writeThenKill(dataDir: string, prefix: string, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('tests/helpers/registry-writer.ts'), dataDir, prefix]);
    const acked: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ACK ')) acked.push(line.slice(4));
      if (acked.length >= acks && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer exited early: ${stderr}`))));
  });
}

describe('registry durability', () => {
  it('keeps every acknowledged write across repeated SIGKILLs', async () => {
    const dir = tempDir();
    const allAcked: string[] = [];
    for (const [round, acks] of [40, 75, 120].entries()) {
      allAcked.push(...(await writeThenKill(dir, `r${round}`, acks)));
      const registry = new NodeRegistry({ dataDir: dir, storeFactory: confStoreFactory, onRecovery: () => { throw new Error('store was corrupt after SIGKILL'); } });
      for (const id of allAcked) expect(registry.get(id), `acknowledged ${id}`).toBeDefined();
    }
    expect(allAcked.length).toBeGreaterThanOrEqual(235);
  });
});
