// Child process for the SIGKILL test: writes nodes as fast as it can and prints "ACK <id>"
// only after the registry call returned (that is, after the write is acknowledged).
import { confStoreFactory } from '../../src/core/registry/json-store';
import { NodeRegistry } from '../../src/core/registry/node-registry';
import { loopbackFor } from './nodes';

const [dataDir, prefix] = process.argv.slice(2);
const registry = new NodeRegistry({ dataDir, storeFactory: confStoreFactory });
for (let i = 0; ; i++) {
  const id = `${prefix}-${i}`;
  registry.create({ id, hostname: id, tailscale_ip: loopbackFor(id), role: 'worker', cpu_cores: 1, memory_gb: 1, description: 'x'.repeat(500) });
  if (i > 0) registry.update(`${prefix}-${i - 1}`, { cpu_cores: 2 });
  process.stdout.write(`ACK ${id}\n`);
}
