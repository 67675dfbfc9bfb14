import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { AlertService } from '../../src/core/alerts/alert-service';
import { resolveGraceMs } from '../../src/core/alerts/alertmanager/alertmanager-forwarder';
import { confStoreFactory } from '../../src/core/registry/json-store';
import type { AlertChannelsUpdate } from '../../src/shared/schemas/alerts';
import type { HealthEvent } from '../../src/shared/schemas/health';
import { alertmanagerMissing, startAlertmanagerCluster, testAlertmanagerConfig, type AlertmanagerPeer } from '../helpers/alertmanager';
import { startHttpSink, type HttpSink } from '../helpers/alert-sinks';
import { monitoredFleet } from '../helpers/monitored-fleet';
import { until } from '../helpers/until';
import { tempDir } from '../helpers/temp-dir';

// Nodes on 127.87.0.x, Alertmanager on 127.87.1.1, receivers on 127.87.100.x; 127.87.1.9 has nobody.
const BLOCK = 87;
const GROUP_MS = 150;
const RESEND_S = 0.5;
const DEAD_PEER = 'http://127.87.1.9:9';

interface Posted {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

describe.skipIf(alertmanagerMissing)('Alertmanager channel in the core, against a real Alertmanager', () => {
  let fleet: Awaited<ReturnType<typeof monitoredFleet>>;
  let am: AlertmanagerPeer;
  /** A second "peer" that records every POST /api/v2/alerts, to see what is sent and how often. */
  let recorder: HttpSink;
  let hook: HttpSink;
  let alerts: AlertService;
  const logged: HealthEvent[] = [];

  const channels = (urls: string[]): AlertChannelsUpdate['channels'] => [{ id: 'am', type: 'alertmanager', urls, resend_interval_s: RESEND_S, silence_on_mute: true, enabled: true }];
  const service = () =>
    new AlertService({ dataDir: fleet.dataDir, storeFactory: confStoreFactory, registry: fleet.registry, monitor: fleet.monitor, groupWindowMs: GROUP_MS, delivery: { timeoutMs: 3000, baseDelayMs: 100 }, instance: 'core-test', webUrl: () => 'http://127.0.0.1:8000' });
  const posts = () => recorder.received.filter((r) => r.path === '/api/v2/alerts').map((r) => r.json as Posted[]);
  /** node-1's NodeDown as last sent (every send carries the whole picture: each node's latest). */
  const lastNodeDown = (node = 'node-1') => posts().flat().filter((a) => a.labels.alertname === 'NodeDown' && a.labels.node === node).at(-1);
  const sweeps = async (n: number) => {
    for (let i = 0; i < n; i++) await fleet.monitor.sweep();
  };
  const amNodeDown = async () => (await am.alerts()).find((a) => a.labels.alertname === 'NodeDown' && a.labels.node === 'node-1');

  beforeAll(async () => {
    fleet = await monitoredFleet([{ behaviour: 'healthy', role: 'storage' }, { behaviour: 'healthy' }], BLOCK);
    hook = await startHttpSink('127.87.100.2');
    recorder = await startHttpSink('127.87.100.1');
    [am] = await startAlertmanagerCluster(['127.87.1.1'], testAlertmanagerConfig(`${hook.base}/hook`));
    fleet.monitor.events.on('event', (e) => void logged.push(e));
    alerts = service();
    alerts.update({ channels: channels([am.base, recorder.base]) }, 'tester');
    await sweeps(2);
  }, 60_000);

  afterAll(async () => {
    alerts?.dispose();
    await am?.kill();
    await recorder?.close();
    await hook?.close();
    await fleet?.close();
  });

  it('fires NodeDown with our labels, resends it with endsAt ahead, and resolves it a grace after the recovery', async () => {
    await fleet.sim.set(fleet.ipOf(0), 'refusing');
    await sweeps(3);
    alerts.flush();
    const firing = await until('NodeDown at Alertmanager', amNodeDown, (a) => a?.status.state === 'active');
    expect(firing!.labels).toEqual({ alertname: 'NodeDown', node: 'node-1', role: 'storage', severity: 'critical' });
    expect(firing!.annotations).toMatchObject({ instance: 'core-test', link: 'http://127.0.0.1:8000/?node=node-1', summary: 'node-1 is down' });
    // Resent on the interval: several posts, each ending four intervals after it was sent.
    const before = posts().length;
    await until('resends', () => posts().length, (n) => n >= before + 2, 10_000);
    const sent = lastNodeDown()!;
    const ahead = Date.parse(sent.endsAt) - Date.now();
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(4 * RESEND_S * 1000 + 200);

    await fleet.sim.set(fleet.ipOf(0), 'healthy');
    await sweeps(3);
    alerts.flush();
    await until('NodeDown resolved in what we send', lastNodeDown, (a) => Date.parse(a!.endsAt) <= Date.now());
    await until('NodeDown gone from Alertmanager', amNodeDown, (a) => a === undefined || a.status.state !== 'active');
    const notes = await until('firing and resolved at the receiver', () => hook.received.map((r) => (r.json as { status: string }).status), (s) => s.includes('resolved'), 20_000);
    expect(notes).toEqual(['firing', 'resolved']);
  }, 60_000);

  it('resends what still fires at start, and resolves without re-firing an alert whose node recovered while the service was down', async () => {
    await fleet.sim.set(fleet.ipOf(0), 'refusing');
    await fleet.sim.set(fleet.ipOf(1), 'refusing');
    await sweeps(3);
    alerts.flush();
    for (const node of ['node-1', 'node-2']) await until(`${node} firing`, () => lastNodeDown(node), (a) => a !== undefined && Date.parse(a.endsAt) > Date.now());
    alerts.dispose();
    // Meanwhile node-2 recovers, and no alert service hears the transition; node-1 stays down.
    await fleet.sim.set(fleet.ipOf(1), 'healthy');
    await sweeps(3);
    expect(fleet.monitor.healthOf('node-2').status).toBe('healthy');
    const seen = recorder.received.length;
    alerts = service();
    // At once, before any sweep: what still fires goes out again; the recovered node is not fired anew.
    await until('a send at start', () => recorder.received.length, (n) => n > seen, 5000);
    const atStart = recorder.received.slice(seen)[0].json as Posted[];
    expect(Date.parse(atStart.find((a) => a.labels.node === 'node-1')!.endsAt)).toBeGreaterThan(Date.now());
    expect(atStart.some((a) => a.labels.node === 'node-2')).toBe(false);
    // Healthy since before the start: once past the policy's window it is resolved, without a recovery alert.
    const started = Date.now();
    const sentSinceStart = () => recorder.received.slice(seen).flatMap((r) => r.json as Posted[]).filter((a) => a.labels.node === 'node-2');
    await until('node-2 resolved after start', async () => {
      await sweeps(1);
      return sentSinceStart().at(-1);
    }, (a) => a !== undefined && Date.parse(a.endsAt) <= Date.now(), 20_000);
    // Past the policy's window, and told a grace after that (another monitor may still see it down).
    expect(Date.now() - started).toBeGreaterThanOrEqual(GROUP_MS + 1000 + resolveGraceMs(fleet.monitor.settings.interval_s * 1000));
    // Every node-2 alert sent since the start was the resolved one (a resend of the firing one would end later each time).
    const sinceStart = sentSinceStart();
    expect(new Set(sinceStart.map((a) => a.endsAt)).size).toBe(1);
    expect(Date.parse(sinceStart[0].endsAt)).toBeGreaterThanOrEqual(started);
    await fleet.sim.set(fleet.ipOf(0), 'healthy');
    await sweeps(3);
    alerts.flush();
    await until('node-1 resolved', () => lastNodeDown('node-1'), (a) => Date.parse(a!.endsAt) <= Date.now());
  }, 60_000);

  it('resolves without waiting for a recovery when a node with an alert goes into maintenance or is removed', async () => {
    await fleet.sim.set(fleet.ipOf(0), 'refusing');
    await sweeps(3);
    alerts.flush();
    await until('node-1 firing', lastNodeDown, (a) => a?.labels.node === 'node-1' && Date.parse(a.endsAt) > Date.now());
    fleet.registry.update('node-1', { maintenance: true });
    await sweeps(1);
    await until('node-1 resolved', lastNodeDown, (a) => Date.parse(a!.endsAt) <= Date.now(), 5000);
    fleet.registry.update('node-1', { maintenance: false });
    await fleet.sim.set(fleet.ipOf(0), 'healthy');
    await sweeps(3);
  }, 60_000);

  it('a test alert reaches every peer; a dead peer is reported and the live one still gets every alert', async () => {
    const result = await alerts.test('am');
    expect(result.results).toEqual([{ channel_id: 'am', ok: true, attempts: 1, error: null }]);
    await until('the test alert at Alertmanager', () => am.alerts(), (list) => list.some((a) => a.labels.alertname === 'OrchestratorTest' && a.labels.instance === 'core-test'));

    alerts.update({ channels: channels([DEAD_PEER, am.base]) }, 'tester');
    const failed = await alerts.test('am');
    expect(failed.results[0].ok).toBe(false);
    expect(failed.results[0].error).toContain(DEAD_PEER);
    await fleet.sim.set(fleet.ipOf(1), 'refusing');
    await sweeps(3);
    alerts.flush();
    await until('node-2 at the live peer', async () => (await am.alerts()).find((a) => a.labels.node === 'node-2'), (a) => a?.status.state === 'active');
    const view = await until('the dead peer failing three times', () => alerts.list().channels.find((c) => c.channel.id === 'am')!.delivery, (d) => (d.peers?.[0].consecutive_failures ?? 0) >= 3, 20_000);
    expect(view.peers!.map((p) => [p.url, p.status])).toEqual([[DEAD_PEER, 'failing'], [am.base, 'ok']]);
    expect(view.status).toBe('retrying');
    expect(logged.filter((e) => e.kind === 'alert_failed' && e.reason.includes(DEAD_PEER))).toHaveLength(1); // once per streak
    await fleet.sim.set(fleet.ipOf(1), 'healthy');
    await sweeps(3);
    alerts.update({ channels: channels([am.base, recorder.base]) }, 'tester');
  }, 60_000);

  it('shows the silences that cover a node, and a mute creates one that the unmute expires', async () => {
    const post = async (matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual?: boolean }>) => {
      const res = await request(`${am.base}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ matchers, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString(), createdBy: 'oncall', comment: 'disk swap' }),
      });
      expect(res.statusCode).toBe(200);
      return ((await res.body.json()) as { silenceID: string }).silenceID;
    };
    const exact = await post([{ name: 'node', value: 'node-2', isRegex: false, isEqual: true }]);
    const pattern = await post([{ name: 'node', value: 'node-.*', isRegex: true, isEqual: true }, { name: 'alertname', value: 'NodeDown', isRegex: false, isEqual: true }]);
    await post([{ name: 'node', value: 'other', isRegex: false, isEqual: true }]);
    const seen = await alerts.silences('node-2');
    expect(seen.errors).toEqual([]);
    expect(seen.silences.map((s) => [s.id, s.matchers, s.covers])).toEqual(
      expect.arrayContaining([
        [exact, ['node="node-2"'], ['NodeDown', 'HostKeyChanged', 'FailoverAction']],
        [pattern, ['node=~"node-.*"', 'alertname="NodeDown"'], ['NodeDown']],
      ]),
    );
    expect(seen.silences).toHaveLength(2);
    expect(seen.silences[0]).toMatchObject({ created_by: 'oncall', comment: 'disk swap', alertmanager: am.base });

    const muted = fleet.registry.update('node-1', { muted_until: new Date(Date.now() + 3600_000).toISOString() });
    await alerts.followMute(muted, 'alice');
    const mine = (await alerts.silences('node-1')).silences.filter((s) => s.created_by === 'alice');
    expect(mine).toHaveLength(1);
    expect(Date.parse(mine[0].ends_at!)).toBe(Date.parse(muted.muted_until!));
    const unmuted = fleet.registry.update('node-1', { muted_until: null });
    await alerts.followMute(unmuted, 'alice');
    expect((await alerts.silences('node-1')).silences.filter((s) => s.created_by === 'alice')).toEqual([]);
    // The others' silences stay.
    expect((await alerts.silences('node-2')).silences).toHaveLength(2);
  }, 60_000);

  it('fires ServicePending with the service label and none of the sender, resends it only while the service watch sees it pending, and resolves it when placed', async () => {
    let stillPending: boolean | null = true;
    const withWatch = new AlertService({
      dataDir: tempDir(), storeFactory: confStoreFactory, registry: fleet.registry, monitor: fleet.monitor, groupWindowMs: GROUP_MS, delivery: { timeoutMs: 3000, baseDelayMs: 100 },
      instance: 'core-test-2', webUrl: () => 'http://127.0.0.1:8000', servicePending: () => stillPending,
    });
    try {
      withWatch.update({ channels: channels([am.base, recorder.base]) }, 'tester');
      const sent = () => posts().flat().filter((a) => a.labels.alertname === 'ServicePending');
      fleet.monitor.logEvent({ node: null, kind: 'service_pending', service: 'api', from: null, to: 'pending', reason: 'api: 1 replica pending for 10 s: 0 of 1 fit', reason_code: 'service_pending', reason_params: { service: 'api', pending: 1 } });
      const first = await until('ServicePending sent', () => sent().at(-1), (a) => a !== undefined, 5000);
      expect(first!.labels).toEqual({ alertname: 'ServicePending', service: 'api', severity: 'warning' }); // the same from every monitor
      expect(first!.annotations).toMatchObject({ summary: 'api: 1 replica pending', message: 'api: 1 replica pending for 10 s: 0 of 1 fit', instance: 'core-test-2', link: 'http://127.0.0.1:8000/?view=services' });
      await until('firing in Alertmanager', () => am.alerts(), (list) => list.some((a) => a.labels.alertname === 'ServicePending' && a.labels.service === 'api'), 5000);
      await until('resent', () => sent().length, (n) => n >= 3, 5000);
      // The watch no longer sees it pending (another monitor's look may be behind): no more resends.
      stillPending = false;
      await new Promise((resolve) => setTimeout(resolve, 600));
      const before = sent().length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(sent().length).toBe(before);
      fleet.monitor.logEvent({ node: null, kind: 'service_placed', service: 'api', from: null, to: 'placed', reason: 'api: every replica placed', reason_code: 'service_placed', reason_params: { service: 'api', pending: 0 } });
      const resolved = await until('ServicePending resolved', () => sent().at(-1), (a) => a !== undefined && Date.parse(a.endsAt) <= Date.now(), resolveGraceMs(fleet.monitor.settings.interval_s * 1000) + 5000);
      expect(resolved!.labels.service).toBe('api');
    } finally {
      withWatch.dispose();
    }
  }, 30_000);
});
