import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { caller } from '../helpers/service';
import { spawnService } from '../helpers/service-process';
import { tempDir } from '../helpers/temp-dir';

// Issue 32, finding 2: a receiver that answers 500 with a 1.5 GB body. The service is its own process
// (so its RSS is its own); receiver on 127.68.1.1, service on 127.68.1.9.
const TOKEN = 'hostile-receiver-token-0123';
const BODY_BYTES = 1.5 * 1024 ** 3;
const CHUNK = Buffer.alloc(1024 * 1024, 'x');

let receiver: http.Server | undefined;
let stopService: (() => void) | undefined;
afterAll(async () => {
  stopService?.();
  receiver?.closeAllConnections();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
});

/** Peak and current resident memory of a process, in MB (Linux /proc). */
function rssMb(pid: number): { peak: number; now: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

describe('a hostile alert receiver', () => {
  it('answering 500 with a 1.5 GB body costs the service a bounded prefix: RSS stays under 200 MB', async () => {
    let written = 0;
    let requests = 0;
    receiver = http.createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': BODY_BYTES });
      res.write('receiver broken: ');
      let sent = 0;
      const pump = () => {
        while (sent < BODY_BYTES && !res.destroyed) {
          sent += CHUNK.length;
          written += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = BODY_BYTES));
      pump();
    });
    await new Promise<void>((r) => receiver!.listen(0, '127.68.1.1', r));
    const hook = `http://127.68.1.1:${(receiver.address() as AddressInfo).port}/hook`;

    const service = await spawnService({ dataDir: tempDir(), token: TOKEN, host: '127.68.1.9' });
    stopService = () => service.child.kill('SIGKILL');
    const rest = caller(service.url);
    const call = (method: string, path: string, body?: unknown) => rest(method, path, { body, token: TOKEN });
    const before = rssMb(service.child.pid!);
    expect((await call('PUT', '/cluster/alerts', { channels: [{ id: 'hostile', type: 'webhook', url: hook }] })).status).toBe(200);
    const tested = await call('POST', '/cluster/alerts/test', { channel_id: 'hostile' });
    expect(tested.status).toBe(200);
    const [result] = tested.body.results as Array<{ ok: boolean; error: string }>;
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/HTTP 500: receiver broken: x+/);
    expect(result.error.length).toBeLessThan(400);
    const after = rssMb(service.child.pid!);
    console.log(`[hostile-receiver] ${requests} attempts; receiver managed to write ${(written / 1024 ** 2).toFixed(0)} MB of ${(requests * BODY_BYTES / 1024 ** 2).toFixed(0)} MB offered; service RSS ${before.now.toFixed(0)} MB before, ${after.now.toFixed(0)} MB after, peak ${after.peak.toFixed(0)} MB`);
    expect(requests).toBeGreaterThanOrEqual(1);
    expect(written).toBeLessThan(requests * 64 * 1024 ** 2); // the rest was never read
    expect(after.peak).toBeLessThan(200);
    expect((await call('GET', '/health')).status).toBe(200);
  }, 120_000);
});
