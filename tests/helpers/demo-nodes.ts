import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './temp-dir';

/**
 * The shipped demo fleet (data/nodes.json) moved from 127.0.1.x to the test's own block 127.<block>.0.x:
 * a person's `npm run demo` on the same machine answers on 127.0.1.x, so no test may expect it silent.
 */
export function demoNodesFileOn(block: number, dir = tempDir()): string {
  const file = path.join(dir, 'demo-nodes.json');
  const text = fs.readFileSync(path.resolve('data/nodes.json'), 'utf8');
  if (!text.includes('"127.0.1.')) throw new Error('data/nodes.json no longer lives on 127.0.1.x: update this helper');
  fs.writeFileSync(file, text.replaceAll('"127.0.1.', `"127.${block}.0.`));
  return file;
}
