import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetSimulator, loopbackAddress } from '../../src/core/simulator/fleet-simulator';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { startHttpSink, type HttpSink } from '../helpers/alert-sinks';
import { prometheusMissing, PROMTOOL, startPrometheus } from '../helpers/prometheus';

// Receivers on 127.57.101.x, nodes on 127.57.102.x, Prometheus on 127.57.103.1.
const SINK_HOST = '127.57.101.1';
const ROLES = ['master', 'worker', 'worker', 'storage'] as const;
const ENV_SECRET = 'envsecret0123456789';

describe('alert channels and /metrics over REST', () => {
  let service: Awaited<ReturnType<typeof startTestService>>;
  let sink: HttpSink;
  let sim: FleetSimulator;
  const ips = ROLES.map((_, i) => loopbackAddress(i, 57).replace('127.57.0.', '127.57.102.'));

  beforeAll(async () => {
    sink = await startHttpSink(SINK_HOST);
    sim = await new FleetSimulator(ips.map((ip) => ({ ip, http_port: 8080, behaviour: 'healthy' as const }))).start();
    service = await startTestService({ ALERT_WEBHOOK_URL: `${sink.base}/env-hook/${ENV_SECRET}, ${sink.base}/second` });
    for (const [i, role] of ROLES.entries()) {
      const res = await service.call('POST', '/cluster/nodes', { body: { id: `n${i + 1}`, hostname: `host-${i + 1}`, tailscale_ip: ips[i], role, cpu_cores: 2, memory_gb: 4, probes: [{ type: 'http', port: 8080 }] } });
      expect(res.status).toBe(201);
    }
    await service.call('POST', '/cluster/health-check');
  });

  afterAll(async () => {
    await service?.close();
    await sim?.stop();
    await sink?.close();
  });

  it('GET /cluster/alerts lists ALERT_WEBHOOK_URL channels, redacted', async () => {
    const res = await service.call('GET', '/cluster/alerts');
    expect(res.status).toBe(200);
    expect(res.body.channels.map((c: { channel: { id: string; url: string }; source: string }) => [c.channel.id, c.channel.url, c.source])).toEqual([
      ['env-1', `${sink.base}/env-hook/***`, 'env'],
      ['env-2', `${sink.base}/second`, 'env'],
    ]);
    expect(JSON.stringify(res.body)).not.toContain(ENV_SECRET);
  });

  it('PUT /cluster/alerts validates with field names, stores, and answers redacted', async () => {
    const bad = await service.call('PUT', '/cluster/alerts', { body: { channels: [{ id: 'x', type: 'ntfy', url: 'ftp://nope', priority: 'loud' }, { id: 'm', type: 'email', host: 'h', from: 'nope', to: [] }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['channels.0.url', 'channels.0.priority', 'channels.1.from', 'channels.1.to']));
    const dup = await service.call('PUT', '/cluster/alerts', { body: { channels: [{ id: 'a', type: 'webhook', url: `${sink.base}/a` }, { id: 'a', type: 'webhook', url: `${sink.base}/b` }] } });
    expect(dup.body.details).toEqual([{ field: 'channels.1.id', message: 'is used twice ("a")' }]);

    const ok = await service.call('PUT', '/cluster/alerts', { body: { channels: [{ id: 'phone', type: 'ntfy', url: `${sink.base}/topicsecret`, token: 'tk_secret_token' }] } });
    expect(ok.status).toBe(200);
    expect(ok.body.channels[2]).toMatchObject({ source: 'data_dir', channel: { id: 'phone', url: `${sink.base}/***`, token: '***', priority: 'high', enabled: true }, delivery: { status: 'idle', sent: 0 } });
    expect(JSON.stringify(ok.body)).not.toMatch(/topicsecret|tk_secret_token/);
  });

  it('POST /cluster/alerts/test sends a test alert and answers each outcome', async () => {
    const one = await service.call('POST', '/cluster/alerts/test', { body: { channel_id: 'phone' } });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ results: [{ channel_id: 'phone', ok: true, attempts: 1, error: null }] });
    const got = sink.received.find((r) => r.path === '/topicsecret')!;
    expect(got.headers).toMatchObject({ title: 'Test alert from MCP Cloud Orchestrator', authorization: 'Bearer tk_secret_token' });

    const all = await service.call('POST', '/cluster/alerts/test', { body: {} });
    expect(all.body.results.map((r: { channel_id: string; ok: boolean }) => [r.channel_id, r.ok])).toEqual([['env-1', true], ['env-2', true], ['phone', true]]);
    const envHook = sink.received.find((r) => r.path === `/env-hook/${ENV_SECRET}`)!;
    expect(envHook.json).toMatchObject({ event: 'test', nodes: [], cluster: { state: 'healthy', healthy_nodes: 4, total_nodes: 4 } });

    const missing = await service.call('POST', '/cluster/alerts/test', { body: { channel_id: 'nope' } });
    expect(missing.status).toBe(404);
    expect(missing.body.details).toEqual([{ field: 'channel_id', message: 'no channel with this id' }]);
    const state = await service.call('GET', '/cluster/alerts');
    expect(state.body.channels[2].delivery).toMatchObject({ status: 'ok', sent: 2, failed: 0 });
  });

  it('GET /metrics needs the token and drops a removed node from every series', async () => {
    expect((await service.call('GET', '/metrics', { token: null })).status).toBe(401);
    const res = await service.call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body as string;
    for (const [i, role] of ROLES.entries()) expect(text).toContain(`mco_node_up{node="n${i + 1}",role="${role}"} 1`);
    // Two monitors of one fleet tell themselves apart: INSTANCE, by default the hostname.
    expect(text).toContain(`mco_instance_info{name="${os.hostname()}"} 1`);
    expect(text).toContain('mco_node_state{node="n1",state="healthy"} 1');
    expect(text).toContain('mco_node_state{node="n1",state="unhealthy"} 0');
    expect(text).toMatch(/mco_node_latency_seconds\{node="n1"\} 0\.\d+/);
    expect(text).toContain('mco_cluster_availability_ratio 1');
    expect(text).toContain('mco_cluster_nodes{state="healthy"} 4');
    expect(text).toMatch(/mco_probe_duration_seconds_count\{result="ok"\} [1-9]/);
    expect(text).toMatch(/mco_sweep_duration_seconds_count [1-9]/);
    expect(text).toContain('mco_alerts_sent_total{channel="phone",result="sent"} 2');

    const extra = await service.call('POST', '/cluster/nodes', { body: { id: 'gone', hostname: 'gone', tailscale_ip: '127.57.102.200', role: 'worker', cpu_cores: 1, memory_gb: 1 } });
    expect(extra.status).toBe(201);
    expect((await service.call('GET', '/metrics')).body).toContain('node="gone"');
    expect((await service.call('DELETE', '/cluster/nodes/gone')).status).toBe(204);
    expect((await service.call('GET', '/metrics')).body).not.toContain('node="gone"');
  });

  it.skipIf(prometheusMissing)('promtool check metrics passes on the output', async () => {
    const { body } = await service.call('GET', '/metrics');
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it.skipIf(prometheusMissing)('a real Prometheus scrapes /metrics with the token and PromQL returns mco_node_up for every node with its role', async () => {
    const target = new URL(service.url).host;
    const prom = await startPrometheus('127.57.103.1', target, TEST_TOKEN);
    try {
      let result: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        try {
          result = (await prom.api('/api/v1/query?query=mco_node_up')).data.result;
          if (result.length === ROLES.length) break;
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      const targets = await prom.api('/api/v1/targets').catch(() => null);
      expect(result.length, `Prometheus output:\n${prom.output.slice(-2000)}\ntargets: ${JSON.stringify(targets?.data)}`).toBe(ROLES.length);
      const seen = result.map((r) => [r.metric.node, r.metric.role, r.metric.job, r.value[1]]).sort();
      expect(seen).toEqual(ROLES.map((role, i) => [`n${i + 1}`, role, 'mco', '1']));
      const ratio = (await prom.api('/api/v1/query?query=mco_cluster_availability_ratio')).data.result;
      expect(ratio.map((r) => r.value[1])).toEqual(['1']);
    } finally {
      await prom.stop();
    }
  });
});
