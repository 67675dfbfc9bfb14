import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile } from '../../src/core/util/read-json-file';
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
});
