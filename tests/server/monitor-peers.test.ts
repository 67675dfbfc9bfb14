import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { until } from '../helpers/until';
import { tempDir } from '../helpers/temp-dir';
import { loadServiceConfig } from '../../src/core/config/load-config';
import { chromiumMissing, englishSentences, launchChromium, screenshotPath } from '../helpers/browser';
import { ko } from '../../src/shared/i18n/ko';
import type { PeersView } from '../../src/shared/schemas/peers';

// Issue 42, the first part: monitors name their peers (MONITOR_PEERS) and hear each one's own view of
// every node over its web bridge. Services on 127.104.3.x; the watched node listens on 127.104.3.50.
const NODE_IP = '127.104.3.50';
type Service = Awaited<ReturnType<typeof startTestService>>;
let node: net.Server;
const started: Service[] = [];
const servers: net.Server[] = [];

async function monitor(instance: string, host: string, peers: Array<{ url: string; token: string }> = [], overrides: Record<string, unknown> = {}): Promise<Service> {
  const service = await startTestService({ HOST: host, INSTANCE: instance, TEST_TIMING: true, HEALTH_CHECK_INTERVAL: 0.3, HEALTH_CHECK_TIMEOUT: 0.25, ...(peers.length ? { MONITOR_PEERS: JSON.stringify(peers) } : {}), ...overrides });
  if (!service.core.registry.get('web-1')) service.core.registry.create({ id: 'web-1', hostname: 'web-1', tailscale_ip: NODE_IP, role: 'worker', cpu_cores: 1, memory_gb: 1, probes: [{ type: 'tcp', port: 2304 }] });
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
    const bDir = tempDir();
    let b = await monitor('mon-b', '127.104.3.2', [{ url: a.url, token: viewer }], { DATA_DIR: bDir });
    const view = await until('a vote from mon-a', () => peersOf(b), (v) => v.peers[0]?.last_vote_at !== null, 10_000);
    expect(view).toMatchObject({ instance: 'mon-b', peers: [{ url: a.url, instance: 'mon-a', link: 'open', nodes: 1, error: null }] });
    const health = await until('mon-a sees web-1 healthy', () => b.core.monitor.healthOf('web-1'), (h) => h.vantage?.[1]?.status === 'healthy', 10_000);
    expect(health).toMatchObject({ status: 'healthy', quorum: { needed: 2, voters: 2, alone: false } });
    expect(health.vantage).toMatchObject([{ monitor: 'mon-b', status: 'healthy', counted: true }, { monitor: 'mon-a', status: 'healthy', error: null, counted: true }]);
    expect(JSON.stringify(view)).not.toContain(viewer);
    expect(view.disagreements).toEqual([]); // taken while the monitors were still deciding: nothing decided is no disagreement
    expect((await peersOf(b)).disagreements).toEqual([]); // both see web-1 up
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
    // A restart of mon-b tells nothing new: its own view of web-2 (down) does not decide alone before
    // mon-a's vote is back, and what the two decided (up) was kept.
    await b.close();
    started.splice(started.indexOf(b), 1);
    const restartedAt = new Date().toISOString();
    b = await monitor('mon-b', '127.104.3.2', [{ url: a.url, token: viewer }], { DATA_DIR: bDir });
    expect(b.core.monitor.stateOf('web-2')).toBe('healthy');
    await until('mon-a heard again', () => b.core.monitor.healthOf('web-2').quorum?.voters, (n) => n === 2, 10_000);
    await until('mon-b sees web-2 down again', () => b.core.monitor.ownStateOf('web-2'), (s) => s === 'unhealthy', 10_000);
    await new Promise((r) => setTimeout(r, 600));
    expect(b.core.monitor.stateOf('web-2')).toBe('healthy');
    expect(b.core.eventLog.list({ node: 'web-2' }).filter((e) => e.kind === 'transition' && e.at >= restartedAt)).toEqual([]);
  }, 30_000);

  it('says a refused token, and refuses the votes of a peer that names itself as this monitor does', async () => {
    const refused = await monitor('mon-c', '127.104.3.3', [{ url: a.url, token: 'not-a-token-of-mon-a-0000' }]);
    expect(await until('link unauthorized', () => peersOf(refused), (v) => v.peers[0]?.link === 'unauthorized', 10_000)).toMatchObject({ peers: [{ error: 'the peer refused our token', last_vote_at: null }] });

    const twin = await monitor('mon-a', '127.104.3.4', [{ url: a.url, token: TEST_TOKEN }]);
    const view = await until('twin refused', () => peersOf(twin), (v) => v.peers[0]?.link === 'refused', 10_000);
    expect(view.peers[0].error).toBe('it names itself mon-a, as this monitor does: INSTANCE must be unique among peers');
    expect(twin.core.monitor.healthOf('web-1').vantage?.map((v) => v.monitor)).toEqual(['mon-a']);
  }, 30_000);

  it('keeps peers named in the settings across a restart, owner-only, never shows their tokens, and refuses to change MONITOR_PEERS', async () => {
    const peerToken = (await a.call('POST', '/cluster/tokens', { body: { name: 'peer mon-d', scope: 'viewer' } })).body.token as string;
    const dataDir = tempDir();
    let d = await monitor('mon-d', '127.104.3.5', [], { DATA_DIR: dataDir });
    const viewer = (await d.call('POST', '/cluster/tokens', { body: { name: 'wall', scope: 'viewer' } })).body.token as string;
    expect((await d.call('PUT', '/cluster/peers', { body: { peers: [{ url: a.url, token: peerToken }] }, token: viewer })).status).toBe(403);
    const missing = await d.call('PUT', '/cluster/peers', { body: { peers: [{ url: a.url }] } });
    expect(missing).toMatchObject({ status: 422, body: { details: [{ field: 'peers.0.token' }] } });
    const saved = await d.call('PUT', '/cluster/peers', { body: { peers: [{ url: a.url, token: peerToken }] } });
    expect(saved).toMatchObject({ status: 200, body: { source: 'saved', peers: [{ url: a.url }] } });
    await until('d hears mon-a', () => d.core.monitor.healthOf('web-1').vantage?.length ?? 0, (n) => n === 2, 10_000);
    const file = path.join(dataDir, 'monitor-peers.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toContain(peerToken);
    // Sent back without its token (as the window does), the peer keeps the stored one.
    expect((await d.call('PUT', '/cluster/peers', { body: { peers: [{ url: a.url }] } })).status).toBe(200);
    // A restart keeps them; nothing a viewer reads holds the token.
    await d.close();
    started.splice(started.indexOf(d), 1);
    d = await monitor('mon-d', '127.104.3.5', [], { DATA_DIR: dataDir });
    await until('d hears mon-a again', () => d.core.monitor.healthOf('web-1').vantage?.length ?? 0, (n) => n === 2, 10_000);
    for (const route of ['/cluster/peers', '/cluster/status?include_nodes=true', '/cluster/events?limit=100', '/cluster/audit', '/openapi.json']) {
      const answer = await d.call('GET', route, { token: viewer });
      expect(JSON.stringify(answer.body), route).not.toContain(peerToken);
    }
    expect((await d.call('GET', '/cluster/peers')).body).toMatchObject({ source: 'saved', peers: [{ url: a.url, link: 'open', instance: 'mon-a' }] });
    // None: it decides alone again.
    expect((await d.call('PUT', '/cluster/peers', { body: { peers: [] } })).body).toMatchObject({ source: 'default', peers: [] });
    expect(d.core.monitor.healthOf('web-1').vantage).toBeUndefined();
    // The window, in Korean on a phone: a bad URL is refused in the form, a peer added there links, and its token is not shown.
    if (!chromiumMissing) {
      const browser = await launchChromium();
      try {
        const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ko-KR' })).newPage();
        await page.goto(d.loginUrl);
        await page.locator('header .menu-toggle').click();
        await page.locator('header .actions button', { hasText: ko.header.settings }).click();
        const panel = page.getByTestId('peers-panel');
        await expect.poll(() => panel.getByTestId('no-peers').count()).toBe(1);
        await panel.locator('summary').click();
        await panel.locator('#peer-url').fill('ftp://nowhere');
        await panel.locator('#peer-token').fill(peerToken);
        await panel.locator('button.primary').click();
        await expect.poll(() => panel.locator('p.error').count()).toBe(1);
        await panel.locator('#peer-url').fill(a.url);
        await panel.locator('button.primary').click();
        await expect.poll(() => panel.locator(`[data-peer="${a.url}"]`).getAttribute('data-link'), { timeout: 10_000 }).toBe('open');
        await page.keyboard.press('Escape');
        await page.locator('header .menu-toggle').click();
        await page.locator('header .actions button', { hasText: ko.header.settings }).click();
        await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('mon-a');
        expect(await page.content()).not.toContain(peerToken);
        expect(await panel.evaluate((el) => el.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
        expect((await englishSentences(page)).filter((s) => !s.includes('MONITOR_PEERS'))).toEqual([]);
        await page.screenshot({ path: screenshotPath('peers-panel-ko-390'), fullPage: true });
      } finally {
        await browser.close();
      }
      expect(d.core.peers.view()).toMatchObject({ source: 'saved', peers: [{ url: a.url }] });
    }
    // MONITOR_PEERS pins the list.
    const pinned = await monitor('mon-e', '127.104.3.6', [{ url: a.url, token: peerToken }]);
    const refused = await pinned.call('PUT', '/cluster/peers', { body: { peers: [] } });
    expect(refused).toMatchObject({ status: 409, body: { reason_code: 'peers_pinned', details: [{ field: 'peers' }] } });
    expect((await pinned.call('GET', '/cluster/peers')).body.source).toBe('environment');
  }, 60_000);

  it('refuses a MONITOR_PEERS that is not JSON, or names a peer over plain http outside loopback and the tailnet', () => {
    const cwd = tempDir();
    expect(() => loadServiceConfig({ env: { MONITOR_PEERS: 'http://x' }, cwd })).toThrow(/MONITOR_PEERS: must be a JSON array/);
    expect(() => loadServiceConfig({ env: { MONITOR_PEERS: JSON.stringify([{ url: 'http://203.0.113.9:8000', token: TEST_TOKEN }]) }, cwd })).toThrow(/MONITOR_PEERS\.0\.url: plain http/);
    // Parsed only, never followed: a tailnet address takes plain http.
    const { config } = loadServiceConfig({ argv: ['--monitor-peers', JSON.stringify([{ url: 'http://100.64.0.7:8000', token: TEST_TOKEN }])], cwd });
    expect(config.MONITOR_PEERS).toEqual([{ url: 'http://100.64.0.7:8000', token: TEST_TOKEN }]);
  });
});
