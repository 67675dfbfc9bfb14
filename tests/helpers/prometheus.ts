import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { tempDir } from './temp-dir';
import { freePort, missingBinaries } from './system-binary';

export const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus';
export const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';
export const prometheusMissing = missingBinaries('Prometheus', [PROMETHEUS, PROMTOOL]);

/** A real Prometheus on loopback scraping one target with a bearer token read from a file. */
export async function startPrometheus(host: string, target: string, token: string) {
  const dir = tempDir('mco-prom-');
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global: {scrape_interval: 1s, scrape_timeout: 1s}',
      'scrape_configs:',
      '  - job_name: mco',
      '    metrics_path: /metrics',
      `    authorization: {type: Bearer, credentials_file: ${tokenFile}}`,
      `    static_configs: [{targets: ['${target}']}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort(host);
  let output = '';
  const child: ChildProcess = spawn(PROMETHEUS, [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=${host}:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const base = `http://${host}:${port}`;
  const api = async (pathAndQuery: string) => {
    const res = await request(base + pathAndQuery);
    return (await res.body.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }>; activeTargets?: Array<{ health: string; lastError: string }> } };
  };
  return {
    base,
    api,
    get output() {
      return output;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
}
