import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { RestSupervisor } from '../../src/main/rest-supervisor';

// Issue 33, finding 3: a taken REST port leaves the app running without the REST API, says why once,
// and tries again until the port is free.
describe('the desktop REST API supervisor', () => {
  it('says why a taken port stops it, retries, and starts once the port is free', async () => {
    const host = '127.77.0.1';
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, host, r));
    const port = (squatter.address() as net.AddressInfo).port;
    const failures: string[] = [];
    const started: string[] = [];
    const supervisor = new RestSupervisor({
      start: () =>
        new Promise((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(port, host, () => resolve({ url: `http://${host}:${port}`, close: () => new Promise<void>((done) => server.close(() => done())) }));
        }),
      onFailure: (message) => failures.push(message),
      onStarted: (url) => started.push(url),
      retryMs: 100,
    });
    await supervisor.start();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^port in use: .*EADDRINUSE/);
    expect(supervisor.error).toBe(failures[0]);
    await new Promise((r) => setTimeout(r, 350));
    expect(failures).toHaveLength(1); // the same failure is said once
    await new Promise<void>((r) => squatter.close(() => r()));
    for (let i = 0; i < 40 && started.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual([`http://${host}:${port}`]);
    expect(supervisor.error).toBeNull();
    await supervisor.close();
  });
});
