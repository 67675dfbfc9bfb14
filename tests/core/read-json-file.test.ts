import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { MAX_JSON_FILE_BYTES, readJsonFile } from '../../src/core/util/read-json-file';
import { tempDir } from '../helpers/temp-dir';

// Files a person imports (CLI import, NODES_FILE_PATH) are read as strictly as REST bodies.
describe('readJsonFile', () => {
  const write = (bytes: Buffer | string) => {
    const file = path.join(tempDir(), 'nodes.json');
    fs.writeFileSync(file, bytes);
    return file;
  };

  it('refuses bytes that are not UTF-8 instead of storing U+FFFD', () => {
    const file = write(Buffer.concat([Buffer.from('{"nodes":{"a":{"description":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}}')]));
    expect(() => readJsonFile(file, 'file')).toThrow(expect.objectContaining({ code: 'bad_request', details: [{ field: 'file', message: 'must be UTF-8 encoded' }] }));
  });

  it('names a __proto__ key and refuses absurd nesting, and still reads a normal file', () => {
    expect(() => readJsonFile(write('{"nodes":{},"__proto__":{"polluted":true}}'), 'file')).toThrow(expect.objectContaining({ details: [{ field: '__proto__', message: 'is a forbidden key' }] }));
    expect(() => readJsonFile(write('['.repeat(10_000) + ']'.repeat(10_000)), 'file')).toThrow(/nests deeper than 32/);
    expect(readJsonFile(write('{"nodes":{"a":{"description":"café"}}}'), 'file')).toEqual({ nodes: { a: { description: 'café' } } });
  });

  // Issue 39, finding 6: regular files only, whatever a symlink points to, and at most 16 MiB.
  it('refuses a FIFO (behind a symlink too), a directory and a file past 16 MiB, naming why; follows a symlink to a regular file', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    fs.symlinkSync(fifo, path.join(dir, 'link'));
    for (const file of [fifo, path.join(dir, 'link')]) expect(() => readJsonFile(file, 'file')).toThrow(expect.objectContaining({ details: [{ field: 'file', message: 'is a FIFO, not a regular file' }] }));
    expect(() => readJsonFile(dir, 'file')).toThrow(expect.objectContaining({ details: [{ field: 'file', message: 'is a directory, not a regular file' }] }));
    const big = write('{"x":"' + 'x'.repeat(MAX_JSON_FILE_BYTES) + '"}');
    expect(() => readJsonFile(big, 'file')).toThrow(expect.objectContaining({ details: [{ field: 'file', message: expect.stringMatching(/MiB, more than the 16 MiB/) }] }));
    const real = write('{"nodes":{}}');
    fs.symlinkSync(real, path.join(dir, 'to-real'));
    expect(readJsonFile(path.join(dir, 'to-real'), 'file')).toEqual({ nodes: {} });
  });
});
