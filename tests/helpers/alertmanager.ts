import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { tempDir } from './temp-dir';
import { freePort, missingBinaries } from './system-binary';

export const ALERTMANAGER = process.env.ALERTMANAGER_PATH ?? '/usr/bin/prometheus-alertmanager';
export const AMTOOL = process.env.AMTOOL_PATH ?? '/usr/bin/amtool';
export const alertmanagerMissing = missingBinaries('Alertmanager', [ALERTMANAGER, AMTOOL]);

/** A route that groups by alert and node and tells one webhook, fast enough for a test. */
export function testAlertmanagerConfig(webhookUrl: string, groupWait = '1s'): string {
  return [
    'route:',
    '  receiver: hook',
    '  group_by: [alertname, node]',
    `  group_wait: ${groupWait}`,
    '  group_interval: 2s',
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: hook',
    '    webhook_configs:',
    `      - url: ${webhookUrl}`,
    '        send_resolved: true',
    '',
  ].join('\n');
}

export interface AlertmanagerPeer {
  base: string;
  output: () => string;
  /** SIGKILL: the peer is gone without a goodbye to the cluster. */
  kill(): Promise<void>;
  alerts(): Promise<Array<{ labels: Record<string, string>; annotations: Record<string, string>; status: { state: string }; endsAt: string }>>;
}

/** Real Alertmanager peers on the given loopback hosts, clustered by gossip (each names the first as its peer). */
export async function startAlertmanagerCluster(hosts: string[], config: string, options: { basicAuth?: { user: string; password: string; bcrypt: string } } = {}): Promise<AlertmanagerPeer[]> {
  const auth: Record<string, string> = options.basicAuth ? { authorization: `Basic ${Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`).toString('base64')}` } : {};
  const ports = await Promise.all(hosts.map(async (host) => ({ web: await freePort(host), cluster: await freePort(host) })));
  const peers: AlertmanagerPeer[] = [];
  for (const [i, host] of hosts.entries()) {
    const dir = tempDir('mco-am-');
    fs.writeFileSync(path.join(dir, 'alertmanager.yml'), config);
    if (options.basicAuth) fs.writeFileSync(path.join(dir, 'web.yml'), `basic_auth_users:\n  ${options.basicAuth.user}: ${options.basicAuth.bcrypt}\n`);
    const clusterAddress = `${host}:${ports[i].cluster}`;
    const args = [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${host}:${ports[i].web}`,
      `--cluster.listen-address=${clusterAddress}`,
      `--cluster.advertise-address=${clusterAddress}`,
      ...hosts.flatMap((other, j) => (j === i ? [] : [`--cluster.peer=${other}:${ports[j].cluster}`])),
      '--cluster.pushpull-interval=2s',
      '--cluster.gossip-interval=100ms',
      '--cluster.peer-timeout=2s',
      '--cluster.settle-timeout=5s',
      '--log.level=debug',
      ...(options.basicAuth ? [`--web.config.file=${path.join(dir, 'web.yml')}`] : []),
    ];
    let output = '';
    const child: ChildProcess = spawn(ALERTMANAGER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const base = `http://${host}:${ports[i].web}`;
    peers.push({
      base,
      output: () => output,
      async kill() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      },
      async alerts() {
        const res = await request(`${base}/api/v2/alerts`, { headers: auth });
        return (await res.body.json()) as Awaited<ReturnType<AlertmanagerPeer['alerts']>>;
      },
    });
  }
  // Ready when every peer answers, sees the whole cluster and has settled.
  const end = Date.now() + 30_000;
  for (const peer of peers) {
    for (;;) {
      try {
        const res = await request(`${peer.base}/api/v2/status`, { headers: auth });
        const status = (await res.body.json()) as { cluster?: { peers?: unknown[]; status?: string } };
        // 'ready' once gossip settled: before it, a peer notifies nobody (an alert fired and resolved then is never told).
        if (res.statusCode === 200 && (status.cluster?.peers?.length ?? 0) === hosts.length && status.cluster?.status === 'ready') break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > end) throw new Error(`Alertmanager ${peer.base} did not form a cluster of ${hosts.length}: ${peer.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return peers;
}
