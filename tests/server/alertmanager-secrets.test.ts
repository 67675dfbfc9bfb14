import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerMissing, startAlertmanagerCluster, testAlertmanagerConfig, type AlertmanagerPeer } from '../helpers/alertmanager';
import { call, httpMcpClient, text } from '../helpers/mcp-client';
import { nodeInput } from '../helpers/nodes';
import { startTestService } from '../helpers/service';
import { until } from '../helpers/until';

// Issue 39, finding 3: an Alertmanager peer's URL carries credentials. They reach the peer as Basic
// auth and reach no viewer. Service on 127.90.0.1, Alertmanager (basic auth) on 127.90.1.1, a dead
// peer on 127.90.1.9, the node on 127.90.0.11 (nothing listens: it goes down at the first sweep).
const PASSWORD = 'am-pa55word';
const QUERY_TOKEN = 'qs-s3cr3t-token';
const BCRYPT = '$2b$04$1WbATlC5UtQrXgs0D6bmA.KkCYkuRFZ5IkdwHm7kNGmrrUCbU7eu2'; // of am-pa55word, cost 4

describe.skipIf(alertmanagerMissing)('Alertmanager credentials', () => {
  let am: AlertmanagerPeer;
  let service: Awaited<ReturnType<typeof startTestService>>;

  beforeAll(async () => {
    [am] = await startAlertmanagerCluster(['127.90.1.1'], testAlertmanagerConfig('http://127.90.1.9:9/hook'), { basicAuth: { user: 'pager', password: PASSWORD, bcrypt: BCRYPT } });
    const live = am.base.replace('http://', `http://pager:${PASSWORD}@`) + `/?token=${QUERY_TOKEN}`;
    const dead = `http://pager:${PASSWORD}@127.90.1.9:9/?token=${QUERY_TOKEN}`;
    service = await startTestService({ HOST: '127.90.0.1', FAILURE_THRESHOLD: 1, ALERTMANAGER_URL: `${live},${dead}` });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await am?.kill();
  });

  it('sends the user info as Basic auth, and no viewer reads it anywhere', async () => {
    service.core.registry.create(nodeInput('db-1', { tailscale_ip: '127.90.0.11' }));
    await service.core.monitor.requestSweep();
    // The peer behind basic auth took the alert (without the header it answers 401).
    await until('NodeDown for db-1 in Alertmanager', () => am.alerts(), (alerts) => alerts.some((a) => a.labels.alertname === 'NodeDown' && a.labels.node === 'db-1'), 20_000);
    await until('the dead peer reported in the event log', async () => (await service.call('GET', '/cluster/events?limit=500')).body.events as Array<{ kind: string }>, (events) => events.some((e) => e.kind === 'alert_failed'), 20_000);

    const viewer = (await service.call('POST', '/cluster/tokens', { body: { name: 'wall', scope: 'viewer' } })).body.token as string;
    const read: string[] = [];
    for (const route of ['/cluster/alerts', '/cluster/events?limit=500', '/cluster/nodes/db-1/silences', '/cluster/status', '/cluster/nodes', '/metrics']) {
      const answer = await service.call('GET', route, { token: viewer });
      expect(answer.status, route).toBe(200);
      read.push(JSON.stringify(answer.body));
    }
    const alerts = (await service.call('GET', '/cluster/alerts', { token: viewer })).body;
    const channel = alerts.channels.find((c: { channel: { id: string } }) => c.channel.id === 'env-alertmanager');
    expect(channel.delivery.peers).toHaveLength(2);
    expect(channel.delivery.last_failure.error).toContain('127.90.1.9');
    const mcp = await httpMcpClient(service.url, viewer);
    read.push(text(await call(mcp, 'list_alert_channels')));
    await mcp.close();
    read.push(fs.readFileSync(path.join(service.config.DATA_DIR!, 'events.jsonl'), 'utf8'));
    for (const secret of [PASSWORD, QUERY_TOKEN, 'pager:']) expect(read.filter((body) => body.includes(secret))).toEqual([]);
  }, 60_000);
});
