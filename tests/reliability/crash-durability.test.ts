import { describe, expect, it } from 'vitest';
import { caller } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';
import { loopbackFor } from '../helpers/nodes';
import { spawnService } from '../helpers/service-process';

const TOKEN = 'crash-test-token-0123456789';
const startService = (dataDir: string) => spawnService({ dataDir, token: TOKEN });

describe('crash durability of the service', () => {
  it('keeps every acknowledged write across repeated SIGKILLs under concurrent clients', async () => {
    const dataDir = tempDir();
    const acked = new Map<string, string>(); // id -> acknowledged description
    const attempted = new Map<string, string>(); // id -> a later write sent but not acknowledged
    // An acknowledged write must survive; a later one the client sent may have landed too.
    const survived = (id: string, found: string | undefined) => found === acked.get(id) || (found !== undefined && found === attempted.get(id));
    let kills = 0;
    for (let round = 0; round < 5; round++) {
      const { child, url } = await startService(dataDir);
      const call = caller(url);
      // Everything acknowledged before this kill must be there after the restart.
      const exported = (await call('GET', '/cluster/export', { token: TOKEN })).body.nodes as Record<string, { description: string }>;
      for (const id of acked.keys()) expect(survived(id, exported[id]?.description), `acknowledged write of ${id}`).toBe(true);
      let stop = false;
      const client = async (c: number) => {
        for (let n = 0; !stop; n++) {
          const id = `r${round}-c${c}-n${n}`;
          try {
            const created = await call('POST', '/cluster/nodes', { token: TOKEN, body: { id, hostname: id, tailscale_ip: loopbackFor(id), role: 'worker', cpu_cores: 1, memory_gb: 1, description: 'v1' } });
            if (created.status === 201) acked.set(id, 'v1');
            attempted.set(id, 'v2');
            const updated = await call('PUT', `/cluster/nodes/${id}`, { token: TOKEN, body: { description: 'v2' } });
            if (updated.status === 200) acked.set(id, 'v2');
          } catch {
            return; // the server died under us: this write was not acknowledged
          }
        }
      };
      const clients = [0, 1, 2].map(client);
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 600));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      kills++;
      stop = true;
      await Promise.all(clients);
      await exited;
    }
    const { child, url } = await startService(dataDir);
    const exported = (await caller(url)('GET', '/cluster/export', { token: TOKEN })).body.nodes as Record<string, { description: string }>;
    const stopped = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await stopped; // a clean stop writes the monitor's state into dataDir: let it finish before cleanup
    const lost = [...acked.keys()].filter((id) => !survived(id, exported[id]?.description));
    console.log(`[durability] kills survived: ${kills}; acknowledged writes: ${acked.size}; lost: ${lost.length}`);
    expect(lost).toEqual([]);
    expect(acked.size).toBeGreaterThan(50);
  }, 120_000);
});
