// SSH fan-out against 50 real sshd endpoints on loopback, compared with parallel-ssh (Debian pssh)
// running `uptime` on the same endpoints in the same run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSshdFleet } from '../../src/core/simulator/openssh-fleet';
import { loopbackAddress } from '../../src/core/simulator/fleet-simulator';
import { createCore } from '../../src/core/app-core';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { median } from './stats';

const COUNT = 50;
const rounds = Number(process.argv[2] ?? 3);
const skipPssh = process.env.SKIP_PSSH === "1";
const addresses = Array.from({ length: COUNT }, (_, i) => loopbackAddress(i, 80));
const fleet = await startSshdFleet(addresses);
const hostsFile = path.join(fleet.dir, 'hosts');
fs.writeFileSync(hostsFile, addresses.map((a) => `${a}:${fleet.port}`).join('\n') + '\n');
const psshBin = fs.existsSync('/usr/bin/parallel-ssh') ? '/usr/bin/parallel-ssh' : 'pssh';

const time = async (fn: () => unknown): Promise<number> => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

function pssh(): void {
  execFileSync(psshBin, ['-h', hostsFile, '-l', fleet.user, '-p', '32', '-t', '60', '-x', `-i ${fleet.clientKey} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR`, 'uptime'], { stdio: 'ignore' });
}

const result = { pssh_ms: [] as number[], cold_ms: [] as number[], pooled_ms: [] as number[], metrics_warm_ms: [] as number[], ok: 0 };
try {
  for (let round = 0; round < rounds; round++) {
    if (!skipPssh) result.pssh_ms.push(await time(pssh));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-ssh-bench-'));
    const core = createCore({ dataDir, settings: MonitorSettingsSchema.parse({}), ssh: { defaultKeyPath: fleet.clientKey, metricsIntervalMs: 0, concurrency: 32 } });
    core.monitor.stop();
    core.registry.applyNodes(
      addresses.map((ip, i) => ({ id: `s-${i}`, hostname: `s-${i}`, tailscale_ip: ip, role: 'worker', description: '', cpu_cores: 1, memory_gb: 1, tags: [], probes: [], maintenance: false, ssh: { user: fleet.user, port: fleet.port } })),
    );
    const request = { role: 'worker', command: 'uptime', timeout: 60 };
    let response = await (async () => {
      const started = performance.now();
      const r = await core.ssh.run(request, 'bench');
      result.cold_ms.push(performance.now() - started);
      return r;
    })();
    response = await (async () => {
      const started = performance.now();
      const r = await core.ssh.run(request, 'bench');
      result.pooled_ms.push(performance.now() - started);
      return r;
    })();
    result.ok = response.results.filter((r) => r.exit_code === 0).length;
    const nodes = core.registry.all();
    await Promise.all(nodes.map((n) => core.ssh.metrics.collect(n))); // opens the long-lived shells
    result.metrics_warm_ms.push(await time(() => Promise.all(nodes.map((n) => core.ssh.metrics.collect(n)))));
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
} finally {
  await fleet.stop();
}
console.log(JSON.stringify({ pssh_ms: median(result.pssh_ms), cold_ms: median(result.cold_ms), pooled_ms: median(result.pooled_ms), metrics_warm_ms: median(result.metrics_warm_ms), ok: result.ok, raw: result }));
process.exit(0);
