import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './temp-dir';

/**
 * The shipped demo fleet (data/nodes.json) moved from 127.0.1.x to the test's own block 127.<block>.0.x:
 * a person's `npm run demo` on the same machine answers on 127.0.1.x, so no test may expect it silent.
 */
export function demoNodesFileOn(block: number, dir = tempDir(), ports?: { http: number; ssh: number }): string {
  const file = path.join(dir, 'demo-nodes.json');
  const text = fs.readFileSync(path.resolve('data/nodes.json'), 'utf8');
  if (!text.includes('"127.0.1.')) throw new Error('data/nodes.json no longer lives on 127.0.1.x: update this helper');
  const document = JSON.parse(text.replaceAll('"127.0.1.', `"127.${block}.0.`)) as { nodes: Record<string, { probes: Array<{ type: string; port: number }>; ssh?: { port: number } }> };
  // Other ports too, where a test runs the fleet on 127.0.0.1 (the single-address demo).
  if (ports) {
    for (const node of Object.values(document.nodes)) {
      node.probes = node.probes.map((p) => ({ ...p, port: p.type === 'http' ? ports.http : ports.ssh }));
      if (node.ssh) node.ssh.port = ports.ssh;
    }
  }
  fs.writeFileSync(file, JSON.stringify(document));
  return file;
}
