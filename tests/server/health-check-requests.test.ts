import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service';
import { nodeInput } from '../helpers/nodes';

// POST /cluster/health-check fans out over the whole fleet; a flood of requests must not become a
// flood of sweeps. The probe target counts the sweeps that reached it.
let hits = 0;
let answerAfterMs = 0;
const target = http.createServer((_req, res) => {
  hits++;
  setTimeout(() => res.end('ok'), answerAfterMs);
});
let service: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  await new Promise<void>((resolve) => target.listen(0, '127.54.4.1', resolve));
  service = await startTestService({ HOST: '127.54.0.7' });
  service.core.monitor.stop();
  service.core.registry.create(nodeInput('hc-1', { tailscale_ip: '127.54.4.1', probes: [{ type: 'http', port: (target.address() as AddressInfo).port }] }));
});
afterAll(async () => {
  await service.close();
  target.close();
});

describe('POST /cluster/health-check', () => {
  it('lets concurrent requests share one sweep', async () => {
    // A slow node: every request arrives while the first sweep runs, and joins it.
    answerAfterMs = 300;
    hits = 0;
    const answers = await Promise.all(Array.from({ length: 30 }, () => service.call('POST', '/cluster/health-check')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(hits).toBe(1);
    expect(new Set(answers.map((a) => a.body.checked_at)).size).toBe(1);
    // A fast node: a sweep may end before the last requests arrive; those share one more sweep at
    // most (before, 30 requests made a dozen sweeps).
    answerAfterMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 600));
    hits = 0;
    await Promise.all(Array.from({ length: 30 }, () => service.call('POST', '/cluster/health-check')));
    expect(hits).toBeLessThanOrEqual(2);
  });

  it('spaces sweeps requested back to back (at most one per 500 ms), each still a fresh sweep', async () => {
    hits = 0;
    const started = performance.now();
    const stamps: string[] = [];
    for (let i = 0; i < 5; i++) stamps.push((await service.call('POST', '/cluster/health-check')).body.checked_at);
    const elapsed = performance.now() - started;
    expect(hits).toBe(5); // every request got a sweep that began after it was made...
    expect(new Set(stamps).size).toBe(5);
    // ...but no faster than the spacing allows: n sweeps need (n - 1) spacings between them.
    expect(hits).toBeLessThanOrEqual(1 + Math.floor(elapsed / 500) + 1);
  });
});
