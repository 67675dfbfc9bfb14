import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { alertmanagerMissing, startAlertmanagerCluster, testAlertmanagerConfig, type AlertmanagerPeer } from '../helpers/alertmanager';
import { startHttpSink, type HttpSink } from '../helpers/alert-sinks';
import { spawnService, stopService } from '../helpers/service-process';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

// Our block: the node on 127.86.0.x, Alertmanager peers on 127.86.1.x, our services on 127.86.2.x,
// the webhook receiver behind Alertmanager on 127.86.100.1.
const NODE_HOST = '127.86.0.10';
const AM_HOSTS = ['127.86.1.1', '127.86.1.2'];
const SERVICE_HOSTS = ['127.86.2.1', '127.86.2.2'];
const TOKEN = 'alertmanager-ha-test-token-0123456789';

interface Notification {
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string }>;
}

/** A node whose health check we switch: up (200), down (503), or failing only its next n checks. */
async function startNode(host: string) {
  let mode: 'up' | 'down' = 'up';
  let failNext = 0;
  const server = http.createServer((_req, res) => {
    if (mode === 'down' || (failNext > 0 && failNext--)) return void res.writeHead(503).end('down');
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    set: (next: 'up' | 'down') => void (mode = next),
    failNext: (n: number) => void (failNext = n),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(alertmanagerMissing)('HA alerting: two monitors, a two-peer Alertmanager cluster, one receiver', () => {
  let node: Awaited<ReturnType<typeof startNode>>;
  let sink: HttpSink;
  let peers: AlertmanagerPeer[];
  const services: Array<{ child: ChildProcess; url: string; output: () => string }> = [];
  const dataDirs = SERVICE_HOSTS.map(() => tempDir());
  let amUrls = '';
  /** Monitor i on its own address and data dir (the same dir again after a restart). */
  const startMonitor = (i: number) =>
    spawnService({
      dataDir: dataDirs[i],
      token: TOKEN,
      host: SERVICE_HOSTS[i],
      args: ['--alertmanager-url', amUrls, '--instance', `monitor-${i + 1}`, '--test-timing', '--health-check-interval', '0.2', '--health-check-timeout', '1', '--failure-threshold', '3', '--recovery-threshold', '2'],
    });

  const notifications = (): Notification[] => sink.received.filter((r) => r.path === '/hook').map((r) => r.json as Notification);
  const about = (status: Notification['status']) => notifications().filter((n) => n.status === status && n.groupLabels.alertname === 'NodeDown' && n.groupLabels.node === 'ha-node');
  /** What the receiver heard, in order, for a failure message that says which monitor sent what. */
  const story = () => notifications().map((n) => `${n.status} ${n.alerts.map((a) => `${a.annotations.instance} ${a.startsAt}..${a.endsAt}`).join(', ')}`).join('\n');
  const api = async (base: string, path: string, init: { method?: 'GET' | 'POST' | 'PUT'; body?: unknown } = {}) => {
    const res = await request(base + path, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    node = await startNode(NODE_HOST);
    sink = await startHttpSink('127.86.100.1');
    // group_wait well past the check interval: the full suite beside this can delay one monitor's checks.
    peers = await startAlertmanagerCluster(AM_HOSTS, testAlertmanagerConfig(`${sink.base}/hook`, '3s'));
    amUrls = peers.map((p) => p.base).join(',');
    for (const i of SERVICE_HOSTS.keys()) {
      const service = await startMonitor(i);
      services.push(service);
      const created = await api(service.url, '/cluster/nodes', {
        method: 'POST',
        body: { id: 'ha-node', hostname: 'ha-node-host', tailscale_ip: NODE_HOST, role: 'master', cpu_cores: 2, memory_gb: 4, probes: [{ type: 'http', port: node.port }] },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    // Both monitors see the node healthy before anything happens.
    for (const service of services) {
      await until('the node healthy', () => api(service.url, '/cluster/nodes/ha-node'), (r) => (r.body.health as { status: string } | undefined)?.status === 'healthy');
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => stopService(s.child))); // before the temp dirs go
    await Promise.all(peers?.map((p) => p.kill()) ?? []);
    await sink?.close();
    await node?.close();
  });

  it('a blip under the failure threshold reaches Alertmanager as nothing', async () => {
    node.failNext(2); // two failed checks in all, under the threshold of three for either monitor
    await until('the blip to be seen and over', () => api(services[0].url, '/cluster/nodes/ha-node'), (r) => ((r.body.health as { recent?: string }).recent ?? '').includes('0'), 20_000);
    // Longer than our grouping window (5 s) and Alertmanager's group_wait: anything sent would show by now.
    await new Promise((r) => setTimeout(r, 7000));
    expect(await peers[0].alerts()).toEqual([]);
    expect(notifications()).toEqual([]);
  }, 40_000);

  it('one outage gives one firing and one resolved notification, even with a monitor killed during it', async () => {
    node.set('down');
    const firing = await until('a firing notification', () => about('firing'), (list) => list.length > 0, 40_000);
    // Both monitors sent it; Alertmanager deduplicated: one alert with our labels and annotations.
    const [alert] = firing[0].alerts;
    expect(firing[0].alerts).toHaveLength(1);
    expect(alert.labels).toEqual({ alertname: 'NodeDown', node: 'ha-node', role: 'master', severity: 'critical' });
    expect(alert.annotations.instance).toMatch(/^monitor-[12]$/);
    expect(alert.annotations.message).toContain('ha-node-host');
    expect(alert.annotations.link).toMatch(/^http:\/\/127\.86\.2\.[12]:\d+\/\?node=ha-node$/);
    // Both monitors sent it to both peers (the annotation names only the latest sender).
    for (const service of services) {
      const view = await api(service.url, '/cluster/alerts');
      const channel = (view.body.channels as Array<{ channel: { id: string }; delivery: { status: string; peers: Array<{ status: string }> } }>).find((c) => c.channel.id === 'env-alertmanager')!;
      expect(channel.delivery.peers.map((p) => p.status)).toEqual(['ok', 'ok']);
    }

    // The first monitor dies mid-outage; the second one's recovery still resolves the alert.
    services[0].child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    node.set('up');
    await until('a resolved notification', () => about('resolved'), (list) => list.length > 0, 40_000);
    // And nothing more: no second firing, no second resolved (past group_interval and the peer timeout).
    await new Promise((r) => setTimeout(r, 6000));
    expect({ firing: about('firing').length, resolved: about('resolved').length }, story()).toEqual({ firing: 1, resolved: 1 });
  }, 120_000);

  it('the killed monitor, restarted after the recovery, fires nothing again; the next outage is told once with both monitors up', async () => {
    const before = { firing: about('firing').length, resolved: about('resolved').length };
    services[0] = await startMonitor(0); // its stored set still holds NodeDown, from before the kill
    await until('the restarted monitor to check the node', () => api(services[0].url, '/cluster/nodes/ha-node'), (r) => {
      const health = r.body.health as { status: string; last_known?: boolean };
      return health.status === 'healthy' && !health.last_known;
    }, 20_000);
    await new Promise((r) => setTimeout(r, 7000)); // past our window, Alertmanager's group_wait and a flush
    expect({ firing: about('firing').length, resolved: about('resolved').length }, story()).toEqual(before);
    expect((await peers[1].alerts()).filter((a) => a.labels.node === 'ha-node' && a.status.state === 'active')).toEqual([]);

    node.set('down');
    await until('a firing notification', () => about('firing'), (list) => list.length > before.firing, 40_000);
    node.set('up');
    await until('a resolved notification', () => about('resolved'), (list) => list.length > before.resolved, 40_000);
    await new Promise((r) => setTimeout(r, 6000));
    expect({ firing: about('firing').length, resolved: about('resolved').length }, story()).toEqual({ firing: before.firing + 1, resolved: before.resolved + 1 });
  }, 120_000);

  it('with one Alertmanager peer killed, the other still delivers', async () => {
    const before = { firing: about('firing').length, resolved: about('resolved').length };
    await peers[0].kill();
    node.set('down');
    await until('a firing notification through the remaining peer', () => about('firing'), (list) => list.length > before.firing, 60_000);
    const view = await api(services[1].url, '/cluster/alerts');
    const channel = (view.body.channels as Array<{ channel: { id: string }; delivery: { status: string; peers: Array<{ url: string; status: string }> } }>).find((c) => c.channel.id === 'env-alertmanager')!;
    expect(channel.delivery.peers.find((p) => p.url === peers[0].base)?.status).toBe('failing');
    expect(channel.delivery.peers.find((p) => p.url === peers[1].base)?.status).toBe('ok');
    // Silences come from the first peer that answers: the dead one is skipped.
    const silences = await api(services[1].url, '/cluster/nodes/ha-node/silences');
    expect(silences).toEqual({ status: 200, body: { silences: [], errors: [] } });
    expect((await api(services[1].url, '/cluster/nodes/nope/silences')).status).toBe(404);
    node.set('up');
    await until('a resolved notification through the remaining peer', () => about('resolved'), (list) => list.length > before.resolved, 60_000);
  }, 150_000);
});
