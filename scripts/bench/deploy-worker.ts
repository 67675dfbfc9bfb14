// Our deploy of 3 replicas on a real three-node Swarm lab, through a manager over SSH as the service does
// it, against `docker service create -d` on the manager's own socket, each until 3 tasks run (read the
// same way for both: `docker service ps`). Interleaved rounds, medians. Needs root (the lab).
import { execFileSync } from 'node:child_process';
import { benchHost } from './bench-addresses';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSshdFleet } from '../../src/core/simulator/openssh-fleet';
import { createCore } from '../../src/core/app-core';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { ServiceSpecSchema } from '../../src/shared/schemas/workloads';
import { median } from './stats';
import { startBenchLab } from './bench-lab';

const rounds = Number(process.argv[2] ?? 3);
const IMAGE = 'mco/busybox:lab';
const IP = (i: number) => benchHost(1, i);
const { sockets, docker, down: labDown } = startBenchLab('mcobench');

async function untilRunning(name: string, count: number): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const states = docker('service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}').split('\n');
    if (states.filter((s) => s.startsWith('Running')).length === count) return;
  }
  throw new Error(`${name}: ${count} tasks did not run within 60 s`);
}

const fleet = await startSshdFleet([1, 2, 3].map(IP), 2276, { extraConfig: sockets.flatMap((socket, i) => [`Match LocalAddress ${IP(i + 1)}`, `  SetEnv DOCKER_HOST=unix://${socket}`]) });
if (process.getuid?.() === 0) execFileSync('usermod', ['-aG', 'docker', fleet.user]);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-bench-deploy-'));
const core = createCore({ dataDir, settings: MonitorSettingsSchema.parse({}), ssh: { defaultKeyPath: fleet.clientKey, metricsIntervalMs: 0 } });
core.monitor.stop();
core.registry.applyNodes([1, 2, 3].map((i) => ({ id: `n${i}`, hostname: `lab-node${i}`, tailscale_ip: IP(i), role: i === 1 ? 'master' : 'worker', description: '', cpu_cores: 2, memory_gb: 4, tags: [], probes: [], maintenance: true, ssh: { user: fleet.user, port: fleet.port }, docker: { enabled: true, via: 'ssh' } })));
const result = { ours_ms: [] as number[], cli_ms: [] as number[] };
try {
  await core.workloads.list(); // a running service has its SSH connection to the manager open
  const ours = async (r: number) => {
    const started = performance.now();
    await core.workloads.deploy(ServiceSpecSchema.parse({ name: `ours-${r}`, image: IMAGE, command: ['sleep', '100000'], replicas: 3 }), 'bench');
    await untilRunning(`ours-${r}`, 3);
    result.ours_ms.push(performance.now() - started);
  };
  const cli = async (r: number) => {
    const started = performance.now();
    docker('service', 'create', '-d', '-q', '--name', `cli-${r}`, '--replicas', '3', '--no-resolve-image', '--init', IMAGE, 'sleep', '100000');
    await untilRunning(`cli-${r}`, 3);
    result.cli_ms.push(performance.now() - started);
  };
  for (let r = 0; r < rounds; r++) {
    for (const run of r % 2 === 0 ? [ours, cli] : [cli, ours]) await run(r);
    docker('service', 'rm', `ours-${r}`, `cli-${r}`);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the tasks stop before the next round
  }
} finally {
  await core.close();
  await fleet.stop();
  labDown();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify({ ours_ms: median(result.ours_ms), cli_ms: median(result.cli_ms), rounds }));
