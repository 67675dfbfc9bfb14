import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../src/core/alerts/alert-service';
import { PrometheusMetrics } from '../../src/core/metrics/prometheus-metrics';
import { confStoreFactory } from '../../src/core/registry/json-store';
import type { AlertChannelsUpdate, AlertPayload } from '../../src/shared/schemas/alerts';
import { monitoredFleet } from '../helpers/monitored-fleet';
import { startHttpSink, startSmtpSink, type HttpSink } from '../helpers/alert-sinks';

// Nodes on 127.57.0.x, receivers on 127.57.100.x: this engineer's loopback range.
const BLOCK = 57;
const SINK_HOST = '127.57.100.1';
const SMTP_HOST = '127.57.100.2';
const GROUP_MS = 150;
// An attempt's timeout well above a loaded machine's answer time: a late answer must not read as a
// failure and be retried into a duplicate. Waits below poll with generous bounds and never assume a pace.
const DELIVERY = { attempts: 3, baseDelayMs: 100, timeoutMs: 3000, maxQueue: 100 };
const SECRETS = { slack: 'T0001/B0002/slacksecret123', discord: '123456789/discordsecret456', ntfyTopic: 'mco-topic-9f3k', ntfyToken: 'tk_ntfysecret789', smtp: 'smtp-pass-0xdead' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('alert channels against real receivers on loopback', () => {
  let fleet: Awaited<ReturnType<typeof monitoredFleet>>;
  let sink: HttpSink;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let alerts: AlertService;
  let metrics: PrometheusMetrics;
  let channels: AlertChannelsUpdate['channels'];

  const byPath = (prefix: string) => sink.received.filter((r) => r.path.startsWith(prefix));
  const counts = () => ({
    webhook: byPath('/hook').length,
    env: byPath('/env-hook').length,
    ntfy: byPath(`/${SECRETS.ntfyTopic}`).length,
    slack: byPath('/services/').length,
    discord: byPath('/api/webhooks/').length,
    email: smtp.mails.length,
  });
  const sweeps = async (n: number) => {
    for (let i = 0; i < n; i++) await fleet.monitor.sweep();
  };
  /** Waits until every channel got `total` messages, then a while longer to see that no more come. */
  const expectEveryChannel = async (total: number) => {
    await until(() => Object.values(counts()).every((c) => c >= total), `${total} messages on every channel`);
    await sleep(GROUP_MS * 3);
    expect(counts()).toEqual({ webhook: total, env: total, ntfy: total, slack: total, discord: total, email: total });
  };

  beforeAll(async () => {
    fleet = await monitoredFleet(Array.from({ length: 6 }, () => ({ behaviour: 'healthy' as const })), BLOCK, { failure_threshold: 2, recovery_threshold: 2, timeout_s: 5 }); // a healthy node never times out under load
    sink = await startHttpSink(SINK_HOST);
    smtp = await startSmtpSink(SMTP_HOST, { user: 'alerts', pass: SECRETS.smtp });
    alerts = new AlertService({
      dataDir: fleet.dataDir,
      storeFactory: confStoreFactory,
      registry: fleet.registry,
      monitor: fleet.monitor,
      envWebhookUrls: [`${sink.base}/env-hook`],
      groupWindowMs: GROUP_MS,
      delivery: DELIVERY,
    });
    metrics = new PrometheusMetrics();
    metrics.enable();
    metrics.attach(fleet.registry, fleet.monitor, alerts);
    channels = [
      { id: 'hook', type: 'webhook', url: `${sink.base}/hook`, enabled: true },
      { id: 'phone', type: 'ntfy', url: `${sink.base}/${SECRETS.ntfyTopic}`, priority: 'urgent', tags: ['cluster'], token: SECRETS.ntfyToken, enabled: true },
      { id: 'team', type: 'slack', url: `${sink.base}/services/${SECRETS.slack}`, enabled: true },
      { id: 'ops', type: 'discord', url: `${sink.base}/api/webhooks/${SECRETS.discord}`, enabled: true },
      { id: 'downs', type: 'webhook', url: `${sink.base}/downs`, events: ['node_down'], enabled: true },
      { id: 'mail', type: 'email', host: SMTP_HOST, port: smtp.port, secure: false, allow_plain_auth: true, username: 'alerts', password: SECRETS.smtp, from: 'mco@example.test', to: ['oncall@example.test', 'lead@example.test'], enabled: true },
    ];
    alerts.update({ channels });
    await sweeps(2); // first checks: unknown → healthy is not an alert
  });

  afterAll(async () => {
    alerts?.dispose();
    metrics?.dispose();
    await fleet?.close();
    await sink?.close();
    await smtp?.close();
  });

  it('one outage past the threshold and its recovery give exactly two messages on every channel, each in its own shape', async () => {
    await fleet.sim.set(fleet.ipOf(0), 'refusing');
    await sweeps(3);
    await expectEveryChannel(1); // the grouping window passes, as between real sweeps
    await fleet.sim.set(fleet.ipOf(0), 'healthy');
    await sweeps(3);
    await expectEveryChannel(2);

    const hooks = byPath('/hook').map((r) => r.json as AlertPayload);
    expect(hooks.map((h) => h.event)).toEqual(['node_down', 'node_recovered']);
    expect(hooks[0]).toMatchObject({
      event: 'node_down',
      nodes: [{ id: 'node-1', hostname: 'sim-1', tailscale_ip: fleet.ipOf(0), role: 'worker', reason: expect.stringMatching(/refused/i) }],
      cluster: { state: 'degraded', healthy_nodes: 5, total_nodes: 6 },
    });
    expect(Date.parse(hooks[0].at)).not.toBeNaN();
    expect(hooks[1]).toMatchObject({ event: 'node_recovered', nodes: [{ id: 'node-1', reason: 'checks pass again' }], cluster: { state: 'healthy', healthy_nodes: 6 } });
    expect(byPath('/env-hook').map((r) => (r.json as AlertPayload).event)).toEqual(['node_down', 'node_recovered']);
    expect(byPath('/downs').map((r) => (r.json as AlertPayload).event)).toEqual(['node_down']); // its `events` filter

    const [ntfyDown, ntfyUp] = byPath(`/${SECRETS.ntfyTopic}`);
    expect(ntfyDown.headers).toMatchObject({ title: 'node-1 is down', priority: 'urgent', tags: 'rotating_light,cluster', authorization: `Bearer ${SECRETS.ntfyToken}` });
    expect(ntfyDown.text).toContain('node-1 (sim-1');
    expect(ntfyUp.headers).toMatchObject({ title: 'node-1 recovered', priority: 'default', tags: 'white_check_mark,cluster' });

    const slack = byPath('/services/')[0].json as { text: string; blocks: Array<{ type: string }> };
    expect(slack.text).toMatch(/^node-1 is down: node-1 \(sim-1/);
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    const discord = byPath('/api/webhooks/').map((r) => r.json as { embeds: Array<{ title: string; color: number; description: string }> });
    expect(discord.map((d) => [d.embeds[0].title, d.embeds[0].color])).toEqual([['node-1 is down', 0xc62828], ['node-1 recovered', 0x2e7d32]]);

    expect(smtp.mails[0]).toMatchObject({ from: 'mco@example.test', to: ['oncall@example.test', 'lead@example.test'], user: 'alerts' });
    expect(smtp.mails[0].raw).toMatch(/^Subject: \[MCP Cloud Orchestrator\] node-1 is down$/m);
    expect(smtp.mails[1].raw).toMatch(/^Subject: \[MCP Cloud Orchestrator\] node-1 recovered$/m);
  });

  it('a blip under the threshold gives no message at all', async () => {
    const before = counts();
    await fleet.sim.set(fleet.ipOf(1), 'refusing');
    await sweeps(1); // one failure: degraded, under failure_threshold 2
    expect(fleet.monitor.stateOf('node-2')).toBe('degraded');
    await fleet.sim.set(fleet.ipOf(1), 'healthy');
    await sweeps(2);
    await sleep(GROUP_MS * 4);
    expect(counts()).toEqual(before);
  });

  it('several nodes failing together give one grouped message per channel, and one for their recovery', async () => {
    const before = counts().webhook;
    for (const i of [2, 3, 4]) await fleet.sim.set(fleet.ipOf(i), 'refusing');
    await sweeps(2);
    await expectEveryChannel(before + 1);
    const down = byPath('/hook').at(-1)!.json as AlertPayload;
    expect(down.event).toBe('node_down');
    expect(down.title).toBe('3 nodes down');
    expect(down.nodes.map((n) => n.id)).toEqual(['node-3', 'node-4', 'node-5']);
    expect(byPath(`/${SECRETS.ntfyTopic}`).at(-1)!.headers.title).toBe('3 nodes down');
    expect(smtp.mails.at(-1)!.raw).toMatch(/^Subject: \[MCP Cloud Orchestrator\] 3 nodes down$/m);
    for (const i of [2, 3, 4]) await fleet.sim.set(fleet.ipOf(i), 'healthy');
    await sweeps(2);
    await expectEveryChannel(before + 2);
    expect((byPath('/hook').at(-1)!.json as AlertPayload).title).toBe('3 nodes recovered');
  });

  it('nothing for a muted node, down or back (maintenance and pause: alert-policy.test.ts)', async () => {
    const before = counts();
    fleet.registry.update('node-1', { muted_until: new Date(Date.now() + 3600_000).toISOString() });
    await fleet.sim.set(fleet.ipOf(0), 'refusing');
    await sweeps(3);
    await sleep(GROUP_MS * 3);
    expect(counts()).toEqual(before);
    expect(fleet.monitor.stateOf('node-1')).toBe('unhealthy');
    await fleet.sim.set(fleet.ipOf(0), 'healthy');
    await sweeps(3);
    fleet.registry.update('node-1', { muted_until: null });
    await sleep(GROUP_MS * 3);
    expect(counts()).toEqual(before);
  });

  it('secrets are redacted in every answer; sent back unchanged they keep the stored values', async () => {
    const view = alerts.list();
    const text = JSON.stringify(view);
    for (const secret of [SECRETS.slack, 'slacksecret123', 'discordsecret456', SECRETS.ntfyTopic, SECRETS.ntfyToken, SECRETS.smtp]) expect(text).not.toContain(secret);
    const shown: Record<string, Record<string, unknown>> = Object.fromEntries(view.channels.map((c) => [c.channel.id, c.channel]));
    expect(shown.team.url).toBe(`${sink.base}/services/***/***/***`);
    expect(shown.ops.url).toBe(`${sink.base}/api/webhooks/***/***`);
    expect(shown.phone).toMatchObject({ url: `${sink.base}/***`, token: '***' });
    expect(shown.mail.password).toBe('***');
    expect(view.channels.map((c) => [c.channel.id, c.source])).toEqual([['env-1', 'env'], ['hook', 'data_dir'], ['phone', 'data_dir'], ['team', 'data_dir'], ['ops', 'data_dir'], ['downs', 'data_dir'], ['mail', 'data_dir']]);
    expect(view.channels.find((c) => c.channel.id === 'team')!.delivery).toMatchObject({ status: 'ok', sent: 4, failed: 0 });

    // The dialog saves what it was shown: the stored secrets stay and deliveries still arrive.
    alerts.update({ channels: view.channels.filter((c) => c.source === 'data_dir').map((c) => c.channel) });
    const result = await alerts.test();
    expect(result.results.every((r) => r.ok)).toBe(true);
    expect(byPath(`/services/${SECRETS.slack}`).at(-1)!.json).toMatchObject({ text: expect.stringContaining('Test alert') });
    expect(byPath(`/${SECRETS.ntfyTopic}`).at(-1)!.headers.authorization).toBe(`Bearer ${SECRETS.ntfyToken}`);
    expect(smtp.mails.at(-1)!.user).toBe('alerts');

    // A redacted value that matches no stored secret is refused with the field named.
    expect(() => alerts.update({ channels: [{ id: 'new', type: 'slack', url: `${sink.base}/services/***/***/***` }] })).toThrow(expect.objectContaining({ code: 'validation_error', details: [{ field: 'channels.0.url', message: expect.stringContaining('redacted') }] }));
    expect(() => alerts.update({ channels: [{ id: 'env-1', type: 'webhook', url: `${sink.base}/x` }] })).toThrow(expect.objectContaining({ details: [{ field: 'channels.0.id', message: 'is taken by an environment channel' }] }));
    alerts.update({ channels }); // back to the full set
  });

  it('the monitor going offline is one alert instead of one per node, and a changed host key is sent at once', async () => {
    const before = counts().webhook;
    for (let i = 0; i < 6; i++) await fleet.sim.set(fleet.ipOf(i), 'refusing');
    await sweeps(3); // every healthy node fails at once: this machine lost the network
    await expectEveryChannel(before + 1);
    for (let i = 0; i < 6; i++) await fleet.sim.set(fleet.ipOf(i), 'healthy');
    await sweeps(2);
    await expectEveryChannel(before + 2);
    const [offline, online] = byPath('/hook').slice(-2).map((r) => r.json as AlertPayload);
    expect(offline).toMatchObject({ event: 'monitor_offline', title: 'Monitor offline', nodes: [] });
    expect(offline.message).toMatch(/6 of 6 healthy nodes failed in one sweep/);
    expect(online).toMatchObject({ event: 'monitor_online', nodes: [] });
    expect(byPath(`/${SECRETS.ntfyTopic}`).at(-2)!.headers).toMatchObject({ title: 'Monitor offline', priority: 'urgent', tags: 'warning,cluster' });

    // What the SSH service logs when a pinned key no longer matches.
    fleet.monitor.logEvent({ node: 'node-2', kind: 'host_key_changed', from: 'SHA256:old', to: 'SHA256:new', reason: 'SSH host key changed: SHA256:new is not the pinned SHA256:old' });
    await expectEveryChannel(before + 3);
    expect(byPath('/hook').at(-1)!.json).toMatchObject({ event: 'host_key_changed', title: 'node-2: SSH host key changed', nodes: [{ id: 'node-2', hostname: 'sim-2', reason: expect.stringContaining('not the pinned') }] });
  });

  it('a receiver that is down is retried, then reported in the state, the event log and the metrics; the monitor is not slowed', { timeout: 90_000 }, async () => {
    const hung = await startHttpSink('127.57.100.3');
    hung.setMode('hang');
    const broken = await startHttpSink('127.57.100.4');
    broken.setMode('fail');
    const flaky = await startHttpSink('127.57.100.5');
    flaky.failNext(1);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.57.100.6', r));
    const refusedUrl = `http://127.57.100.6:${(closed.address() as AddressInfo).port}/hook/refusedsecret99?token=querysecret77`;
    await new Promise<void>((r) => closed.close(() => r()));
    try {
      alerts.update({
        channels: [
          { id: 'hung', type: 'webhook', url: `${hung.base}/hook` },
          { id: 'broken', type: 'webhook', url: `${broken.base}/hook` },
          { id: 'refused', type: 'webhook', url: refusedUrl },
          { id: 'flaky', type: 'slack', url: `${flaky.base}/services/T1/B2/flakysecret` },
        ],
      });
      const durations: number[] = [];
      const off = fleet.monitor.events.on('sweep', ({ duration_ms }) => durations.push(duration_ms));
      await sweeps(5);
      const quiet = durations.splice(0);

      await fleet.sim.set(fleet.ipOf(5), 'refusing');
      await sweeps(2); // node-6 down → an alert to every channel
      await until(() => hung.attempts >= 1, 'the first attempt at the hanging receiver');
      durations.length = 0;
      // While the hanging receiver holds the request, the monitor keeps sweeping at its own pace.
      await sweeps(5);
      const duringHang = durations.splice(0);
      expect(alerts.list().channels.find((c) => c.channel.id === 'hung')!.delivery.pending).toBe(1);
      off();

      await until(() => alerts.list().channels.filter((c) => ['hung', 'broken', 'refused'].includes(c.channel.id as string)).every((c) => c.delivery.status === 'failing'), 'all three bad channels to be reported', 60_000);
      const state = Object.fromEntries(alerts.list().channels.map((c) => [c.channel.id, c.delivery]));
      expect(hung.attempts).toBe(DELIVERY.attempts);
      expect(broken.attempts).toBe(DELIVERY.attempts);
      expect(state.hung).toMatchObject({ status: 'failing', sent: 0, failed: 1, retries: 2, pending: 0, consecutive_failures: 1, last_failure: { event: 'node_down', attempts: 3 } });
      expect(state.broken.last_failure).toMatchObject({ attempts: 3, error: expect.stringContaining('HTTP 500') });
      expect(state.refused.last_failure!.error).toMatch(/ECONNREFUSED/);
      expect(state.hung.last_failure!.error).toMatch(/TimeoutError/);
      expect(state.flaky).toMatchObject({ status: 'ok', sent: 1, failed: 0, retries: 1 });
      expect(flaky.received).toHaveLength(1);

      const failures = fleet.monitor.eventLog.list().filter((e) => e.kind === 'alert_failed');
      expect(failures.map((e) => e.to).sort()).toEqual(['broken', 'hung', 'refused']);
      expect(failures.find((e) => e.to === 'broken')!.reason).toMatch(/^Alert "node-6 is down" to webhook channel broken not delivered after 3 attempts: .*HTTP 500/);
      const logged = JSON.stringify(fleet.monitor.eventLog.list()) + JSON.stringify(alerts.list());
      for (const secret of ['refusedsecret99', 'querysecret77', 'flakysecret']) expect(logged).not.toContain(secret);

      const scraped = (await metrics.scrape()).body;
      expect(scraped).toContain('mco_alerts_sent_total{channel="hung",result="retried"} 2');
      expect(scraped).toContain('mco_alerts_sent_total{channel="hung",result="failed"} 1');
      expect(scraped).toContain('mco_alerts_sent_total{channel="flaky",result="sent"} 1');

      // If the monitor waited on a delivery, a sweep would last at least one attempt's timeout.
      const max = (xs: number[]) => Math.max(...xs);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      console.log(`[alerts] sweep of 6 nodes: quiet mean ${mean(quiet).toFixed(1)} ms (max ${max(quiet).toFixed(1)}), while a receiver hangs mean ${mean(duringHang).toFixed(1)} ms (max ${max(duringHang).toFixed(1)}); attempt timeout ${DELIVERY.timeoutMs} ms`);
      expect(duringHang.length).toBeGreaterThanOrEqual(5);
      expect(max(duringHang)).toBeLessThan(DELIVERY.timeoutMs);
    } finally {
      await fleet.sim.set(fleet.ipOf(5), 'healthy');
      await Promise.all([hung.close(), broken.close(), flaky.close()]);
    }
  });

  it('a removed channel takes its metric series along: series never pile up as ids come and go (issue 32, finding 9)', async () => {
    const before = (await metrics.scrape()).body;
    for (const id of ['hung', 'broken', 'flaky']) expect(before).toContain(`mco_alerts_sent_total{channel="${id}"`);
    alerts.update({ channels }); // the set before the last test: its four channels are gone
    const after = (await metrics.scrape()).body;
    for (const id of ['hung', 'broken', 'refused', 'flaky']) expect(after).not.toContain(`channel="${id}"`);
  });
});
