import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { until } from '../helpers/until';
import { tempDir } from '../helpers/temp-dir';
import { loadServiceConfig } from '../../src/core/config/load-config';
import type { PeersView } from '../../src/shared/schemas/peers';

// Issue 42, the first part: monitors name their peers (MONITOR_PEERS) and hear each one's own view of
// every node over its web bridge. Services on 127.104.3.x; the watched node listens on 127.104.3.50.
const NODE_IP = '127.104.3.50';
type Service = Awaited<ReturnType<typeof startTestService>>;
let node: net.Server;
const started: Service[] = [];
const servers: net.Server[] = [];

async function monitor(instance: string, host: string, peers: Array<{ url: string; token: string }> = []): Promise<Service> {
  const service = await startTestService({ HOST: host, INSTANCE: instance, TEST_TIMING: true, HEALTH_CHECK_INTERVAL: 0.3, HEALTH_CHECK_TIMEOUT: 0.25, ...(peers.length ? { MONITOR_PEERS: JSON.stringify(peers) } : {}) });
  service.core.registry.create({ id: 'web-1', hostname: 'web-1', tailscale_ip: NODE_IP, role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'tcp', port: 2304 }] });
  started.push(service);
  return service;
}
const peersOf = async (service: Service): Promise<PeersView> => (await service.call('GET', '/cluster/peers')).body;

describe('monitor peers', () => {
  let a: Service;
  beforeAll(async () => {
    node = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => node.listen(2304, NODE_IP, resolve));
    a = await monitor('mon-a', '127.104.3.1');
  });
  afterAll(async () => {
    for (const service of started) await service.close();
    node.close();
    for (const server of servers) server.close();
  });

  it("hears a peer's own view of each node over its bridge with a viewer token, and never shows the token", async () => {
    const viewer = (await a.call('POST', '/cluster/tokens', { body: { name: 'peer mon-b', scope: 'viewer' } })).body.token as string;
    const b = await monitor('mon-b', '127.104.3.2', [{ url: a.url, token: viewer }]);
    const view = await until('a vote from mon-a', () => peersOf(b), (v) => v.peers[0]?.last_vote_at !== null, 10_000);
    expect(view).toMatchObject({ instance: 'mon-b', peers: [{ url: a.url, instance: 'mon-a', link: 'open', nodes: 1, error: null }] });
    const health = await until('mon-a sees web-1 healthy', () => b.core.monitor.healthOf('web-1'), (h) => h.vantage?.[1]?.status === 'healthy', 10_000);
    expect(health).toMatchObject({ status: 'healthy', quorum: { needed: 2, voters: 2, alone: false } });
    expect(health.vantage).toMatchObject([{ monitor: 'mon-b', status: 'healthy', counted: true }, { monitor: 'mon-a', status: 'healthy', error: null, counted: true }]);
    expect(JSON.stringify(view)).not.toContain(viewer);
    expect(view.disagreements).toEqual([]); // both see web-1 up
    // web-2 answers mon-a but not mon-b (its probe port differs): mon-b alone sees it down, so the
    // voters (one each way, two needed) would not call it down, and mon-b says so.
    const second = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => second.listen(2304, '127.104.3.51', resolve));
    servers.push(second);
    a.core.registry.create({ id: 'web-2', hostname: 'web-2', tailscale_ip: '127.104.3.51', role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'tcp', port: 2304 }] });
    b.core.registry.create({ id: 'web-2', hostname: 'web-2', tailscale_ip: '127.104.3.51', role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'tcp', port: 2399 }] });
    const dissent = await until('mon-b alone sees web-2 down', () => peersOf(b), (v) => v.disagreements.some((d) => d.id === 'web-2' && d.own === 'unhealthy'), 10_000);
    expect(dissent.disagreements).toEqual([{ id: 'web-2', own: 'unhealthy', quorum: 'healthy', needed: 2, votes: expect.arrayContaining([{ monitor: 'mon-b', status: 'unhealthy' }, { monitor: 'mon-a', status: 'healthy' }]) }]);
    // The peer's answer to a viewer of b: the same, no token.
    const bViewer = (await b.call('POST', '/cluster/tokens', { body: { name: 'wall', scope: 'viewer' } })).body.token as string;
    expect(JSON.stringify((await b.call('GET', '/cluster/peers', { token: bViewer })).body)).not.toContain(viewer);
  }, 30_000);

  it('says a refused token, and refuses the votes of a peer that names itself as this monitor does', async () => {
    const refused = await monitor('mon-c', '127.104.3.3', [{ url: a.url, token: 'not-a-token-of-mon-a-0000' }]);
    expect(await until('link unauthorized', () => peersOf(refused), (v) => v.peers[0]?.link === 'unauthorized', 10_000)).toMatchObject({ peers: [{ error: 'the peer refused our token', last_vote_at: null }] });

    const twin = await monitor('mon-a', '127.104.3.4', [{ url: a.url, token: TEST_TOKEN }]);
    const view = await until('twin refused', () => peersOf(twin), (v) => v.peers[0]?.link === 'refused', 10_000);
    expect(view.peers[0].error).toBe('it names itself mon-a, as this monitor does: INSTANCE must be unique among peers');
    expect(twin.core.monitor.healthOf('web-1').vantage?.map((v) => v.monitor)).toEqual(['mon-a']);
  }, 30_000);

  it('refuses a MONITOR_PEERS that is not JSON, or names a peer over plain http outside loopback and the tailnet', () => {
    const cwd = tempDir();
    expect(() => loadServiceConfig({ env: { MONITOR_PEERS: 'http://x' }, cwd })).toThrow(/MONITOR_PEERS: must be a JSON array/);
    expect(() => loadServiceConfig({ env: { MONITOR_PEERS: JSON.stringify([{ url: 'http://203.0.113.9:8000', token: TEST_TOKEN }]) }, cwd })).toThrow(/MONITOR_PEERS\.0\.url: plain http/);
    const { config } = loadServiceConfig({ argv: ['--monitor-peers', JSON.stringify([{ url: 'http://100.64.0.7:8000', token: TEST_TOKEN }])], cwd });
    expect(config.MONITOR_PEERS).toEqual([{ url: 'http://100.64.0.7:8000', token: TEST_TOKEN }]);
  });
});
