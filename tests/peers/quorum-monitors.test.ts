import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../helpers/alert-sinks';
import { call, httpMcpClient } from '../helpers/mcp-client';
import { chromiumMissing, cuts, englishSentences, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService, TEST_TOKEN } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

// Issue 42, items 2 and 3: three monitors peered on loopback watch one nodes file (sync mode). The
// node's endpoint answers 503 to the monitors named in `downFor` (by their probes' User-Agent), so each
// monitor's view of it is switched on its own. Our block: monitors on 127.106.0.1-3 (a fixed port, as
// peers must know each other's address), the node on 127.106.0.50, the webhook receiver on 127.106.0.100.
const HOSTS = ['127.106.0.1', '127.106.0.2', '127.106.0.3'];
const NAMES = ['mon-a', 'mon-b', 'mon-c'];
const PORT = 18406;
const NODE_IP = '127.106.0.50';
type Service = Awaited<ReturnType<typeof startTestService>>;

describe('monitors that agree', () => {
  const downFor = new Set<string>();
  const services: Service[] = [];
  let endpoint: http.Server;
  let sink: HttpSink;
  const messages = (event: string) => sink.received.filter((r) => (r.json as { event?: string } | null)?.event === event);
  const statesOf = () => services.map((s) => s.core.monitor.stateOf('edge-1'));
  let decided: string[] = [];
  const closed = new Set<Service>();
  const running = () => services.filter((s) => !closed.has(s));
  /** Every running monitor decided `event` and none still waits its turn to send it. */
  const settled = (event: string) => decided.filter((e) => e === event).length === running().length && running().every((s) => s.core.peers.handoff?.waiting === 0);

  beforeAll(async () => {
    endpoint = http.createServer((req, res) => {
      const monitor = /\(([\w.:-]+)\)$/.exec(req.headers['user-agent'] ?? '')?.[1] ?? '';
      void (downFor.has(monitor) ? res.writeHead(503).end('down for you') : res.writeHead(200).end('ok'));
    });
    await new Promise<void>((resolve) => endpoint.listen(0, NODE_IP, resolve));
    const port = (endpoint.address() as { port: number }).port;
    sink = await startHttpSink('127.106.0.100');
    const nodesFile = path.join(tempDir(), 'nodes.json');
    fs.writeFileSync(nodesFile, JSON.stringify({ nodes: { 'edge-1': { id: 'edge-1', hostname: 'edge-1', tailscale_ip: NODE_IP, role: 'worker', cpu_cores: 2, memory_gb: 4, probes: [{ type: 'http', port, path: '/health' }] } } }));
    for (const [i, host] of HOSTS.entries()) {
      const peers = HOSTS.filter((h) => h !== host).map((h) => ({ url: `http://${h}:${PORT}`, token: TEST_TOKEN }));
      services.push(
        await startTestService({
          HOST: host, PORT, INSTANCE: NAMES[i], HEALTH_CHECK_INTERVAL: 1, HEALTH_CHECK_TIMEOUT: 0.5, FAILURE_THRESHOLD: 2, RECOVERY_THRESHOLD: 2,
          NODES_FILE_PATH: nodesFile, NODES_FILE_MODE: 'sync', MONITOR_PEERS: JSON.stringify(peers), ALERT_WEBHOOK_URL: `${sink.base}/hook`,
        }),
      );
    }
    for (const service of services) service.core.alerts.events.on('alert', (alert) => decided.push(`${alert.event}`));
    await until('every monitor hears both peers', () => services.map((s) => s.core.monitor.healthOf('edge-1').quorum?.voters ?? 0), (voters) => voters.every((n) => n === 3), 15_000);
  }, 30_000);

  afterAll(async () => {
    for (const service of running()) await service.close();
    endpoint?.close();
    await sink?.close();
  });

  it('keeps a node one monitor alone sees down healthy on all three, with the dissent in its vantage, and alerts nobody', async () => {
    downFor.add('mon-c');
    const dissent = await until('mon-c sees edge-1 down', () => services[2].core.monitor.ownStateOf('edge-1'), (s) => s === 'unhealthy', 10_000);
    expect(dissent).toBe('unhealthy');
    await new Promise((r) => setTimeout(r, 3000)); // three more intervals: every vote has come round
    expect(statesOf()).toEqual(['healthy', 'healthy', 'healthy']);
    for (const service of services) {
      const health = service.core.monitor.healthOf('edge-1');
      expect(health.quorum).toEqual({ needed: 2, voters: 3, alone: false });
      expect(health.vantage?.find((v) => v.monitor === 'mon-c')).toMatchObject({ status: 'unhealthy', counted: true, error: expect.stringContaining('503') });
    }
    // REST: the node read carries the vantage; /cluster/peers says mon-c is the one that differs.
    const read = (await services[0].call('GET', '/cluster/nodes/edge-1')).body;
    expect(read.health.status).toBe('healthy');
    expect(read.health.vantage.map((v: { monitor: string }) => v.monitor)).toEqual(['mon-a', 'mon-b', 'mon-c']);
    expect((await services[2].call('GET', '/cluster/peers')).body.disagreements).toMatchObject([{ id: 'edge-1', own: 'unhealthy', quorum: 'healthy', needed: 2 }]);
    expect(services.flatMap((s) => s.core.eventLog.list({ node: 'edge-1' }).filter((e) => e.kind === 'transition' && e.to === 'unhealthy'))).toEqual([]);
    expect(messages('node_down')).toEqual([]);
    // The status names the peers and the dissent; MCP (a viewer's token) shows both, and no peer token.
    const status = (await services[0].call('GET', '/cluster/status')).body;
    expect(status.peers).toMatchObject({ instance: 'mon-a', dissent: [{ id: 'edge-1', status: 'unhealthy', monitors: ['mon-c'] }] });
    expect(status.peers.links.map((l: { instance: string; link: string }) => `${l.instance}:${l.link}`).sort()).toEqual(['mon-b:open', 'mon-c:open']);
    const viewer = (await services[0].call('POST', '/cluster/tokens', { body: { name: 'wall', scope: 'viewer' } })).body.token as string;
    const client = await httpMcpClient(services[0].url, viewer);
    try {
      const answer = await call(client, 'cluster_status', { include_nodes: true });
      expect(answer.structuredContent).toMatchObject({ peers: { dissent: [{ id: 'edge-1' }] }, nodes: [{ id: 'edge-1', health: { status: 'healthy', quorum: { needed: 2 } } }] });
      const prompt = await client.getPrompt({ name: 'diagnose_node', arguments: { node_id: 'edge-1' } });
      const text = prompt.messages.map((m) => (m.content as { text?: string }).text ?? '').join('\n');
      expect(text).toContain('node_vantage: the state "healthy" was decided by 2 of 3 counted monitors');
      expect(text).toMatch(/\| mon-c \| unhealthy \| yes \|/);
      expect(JSON.stringify(answer) + text).not.toContain(TEST_TOKEN);
    } finally {
      await client.close();
    }
    // The window (mon-c's, which alone sees it down): the row is healthy and marked, the detail lists every view, the header the peers.
    if (!chromiumMissing) {
      const browser = await launchChromium();
      try {
        for (const [locale, width] of [['en-US', 1280], ['ko-KR', 390]] as const) {
          const context = await browser.newContext({ viewport: { width, height: 800 }, locale });
          const page = await context.newPage();
          await page.goto(services[2].loginUrl);
          const row = page.locator('[data-node-id="edge-1"]');
          await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('healthy');
          await expect.poll(() => row.getByTestId('dissent-mark').getAttribute('aria-label')).toBe(locale === 'en-US' ? 'down from mon-c only' : 'mon-c에서만 다운');
          await expect.poll(() => page.getByTestId('peers').getAttribute('data-open')).toBe('2');
          expect(await cuts(page)).toEqual([]);
          await row.click();
          await expect.poll(() => page.locator('[data-testid="vantage"] li').count()).toBe(3);
          expect(await page.getByTestId('vantage-decided').textContent()).toBe(locale === 'en-US' ? 'Decided by 2 of 3 counted monitors' : '집계된 모니터 3대 중 2대로 결정');
          expect(await page.locator('[data-testid="vantage"] li[data-monitor="mon-c"] .vantage-error').textContent()).toContain(locale === 'en-US' ? 'answered HTTP 503' : '503');
          if (locale === 'ko-KR') expect(await englishSentences(page)).toEqual([]);
          await page.screenshot({ path: screenshotPath(`quorum-${locale}-${width}`) });
          await context.close();
        }
      } finally {
        await browser.close();
      }
    }
    // Prometheus: mon-c's own view is down, the quorum's up.
    const metrics = (await services[2].call('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/mco_node_up\{node="edge-1",role="worker"\} 0/);
    expect(metrics).toMatch(/mco_node_quorum_up\{node="edge-1",role="worker"\} 1/);
  }, 60_000);

  it('calls it down on all three within three intervals once two of three see it down, and up again when they do not', async () => {
    downFor.add('mon-b');
    const seenDownAt = Date.now();
    await until('mon-b sees edge-1 down', () => services[1].core.monitor.ownStateOf('edge-1'), (s) => s === 'unhealthy', 10_000);
    const ownAt = Date.now();
    await until('all three call it down', statesOf, (states) => states.every((s) => s === 'unhealthy'), 10_000);
    expect(Date.now() - ownAt).toBeLessThan(3000);
    expect(Date.now() - seenDownAt).toBeLessThan(8000);
    // mon-a sees it up itself, and says why it is down: the others' votes.
    const event = services[0].core.eventLog.list({ node: 'edge-1' }).filter((e) => e.kind === 'transition').at(-1)!;
    expect(event).toMatchObject({ from: 'healthy', to: 'unhealthy', reason_code: 'quorum_down', reason: 'seen down by 2 of 3 monitors (mon-b, mon-c)' });
    // All three decide it; one sends it to people (the first in INSTANCE order), the others find it sent.
    await until('every monitor decided node_down and none waits', () => settled('node_down'), Boolean, 15_000);
    expect(messages('node_down')).toHaveLength(1);

    downFor.clear();
    await until('all three call it up', statesOf, (states) => states.every((s) => s === 'healthy'), 10_000);
    await until('every monitor decided node_recovered and none waits', () => settled('node_recovered'), Boolean, 15_000);
    expect(messages('node_recovered')).toHaveLength(1);
  }, 50_000);

  it('hands sending to the next monitor when the one that sends is gone: one message each way', async () => {
    sink.received.length = 0;
    decided = [];
    downFor.add('mon-b').add('mon-c');
    await services[0].close(); // mon-a, first in INSTANCE order, is gone as the outage begins
    closed.add(services[0]);
    await until('mon-b and mon-c call it down', () => running().map((s) => s.core.monitor.stateOf('edge-1')), (states) => states.every((s) => s === 'unhealthy'), 15_000);
    await until('both decided node_down and none waits', () => settled('node_down'), Boolean, 15_000);
    expect(messages('node_down')).toHaveLength(1);
    downFor.clear();
    await until('both decided node_recovered and none waits', () => settled('node_recovered'), Boolean, 20_000);
    expect(messages('node_recovered')).toHaveLength(1);
  }, 60_000);
});
