// The plan against Swarm on the three-node lab (issue 41): over random specs, how often the plan's
// `fits` equals the replicas Swarm then runs (plan_accuracy), and how long one plan takes through the
// manager over SSH, as the service does it, against one `docker node ls` on the manager's own socket
// (plan_over_node_ls). Needs root (the lab).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchHost } from './bench-addresses';
import { RANDOM_SPEC_TAGS, randomSpecs, swarmSettled } from './random-specs';
import { startSshdFleet } from '../../src/core/simulator/openssh-fleet';
import { createCore } from '../../src/core/app-core';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { ServiceSpecSchema, type ServiceView } from '../../src/shared/schemas/workloads';
import { median } from './stats';
import { startBenchLab } from './bench-lab';

const specs = Number(process.argv[2] ?? 20);
const IP = (i: number) => benchHost(3, i);
const { sockets, docker, down: labDown } = startBenchLab('mcoplanb');

const fleet = await startSshdFleet([1, 2, 3].map(IP), 2277, { extraConfig: sockets.flatMap((socket, i) => [`Match LocalAddress ${IP(i + 1)}`, `  SetEnv DOCKER_HOST=unix://${socket}`]) });
if (process.getuid?.() === 0) execFileSync('usermod', ['-aG', 'docker', fleet.user]);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-bench-plan-'));
const core = createCore({ dataDir, settings: MonitorSettingsSchema.parse({}), ssh: { defaultKeyPath: fleet.clientKey, metricsIntervalMs: 0 } });
core.monitor.stop();
core.registry.applyNodes([1, 2, 3].map((i) => ({ id: `n${i}`, hostname: `lab-node${i}`, tailscale_ip: IP(i), role: i === 1 ? 'master' : 'worker', description: '', cpu_cores: 2, memory_gb: 4, tags: RANDOM_SPEC_TAGS[i - 1], probes: [], maintenance: true, ssh: { user: fleet.user, port: fleet.port }, docker: { enabled: true, via: 'ssh' } })));
const nodeCpus = Number(docker('node', 'inspect', 'lab-node1', '--format', '{{.Description.Resources.NanoCPUs}}')) / 1e9;
const result = { matches: 0, specs: 0, misses: [] as string[], plan_ms: [] as number[], node_ls_ms: [] as number[] };
try {
  await core.workloads.list(); // a running service has its SSH connection to the manager open
  // Timing: a plan of a typical spec, interleaved with the CLI's round trip.
  const typical = ServiceSpecSchema.parse({ name: 'timed', image: 'mco/busybox:lab', replicas: 3, reservations: { cpus: 0.5 } });
  for (let r = 0; r < 7; r++) {
    let started = performance.now();
    await core.workloads.plan(typical);
    result.plan_ms.push(performance.now() - started);
    started = performance.now();
    docker('node', 'ls', '-q');
    result.node_ls_ms.push(performance.now() - started);
  }
  for (const { spec, drain } of randomSpecs(7, specs, nodeCpus, ['lab-node2', 'lab-node3'])) {
    if (drain) docker('node', 'update', '--availability', 'drain', drain);
    try {
      const parsed = ServiceSpecSchema.parse(spec);
      const plan = await core.workloads.plan(parsed);
      await core.workloads.deploy(parsed, 'bench');
      let view: ServiceView | undefined;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
        view = await core.workloads.get(parsed.name);
        if (swarmSettled(view) && view.running + view.pending === plan.wanted) break;
      }
      result.specs++;
      if (view?.running === plan.fits) result.matches++;
      else result.misses.push(`${JSON.stringify(spec)} drain=${drain}: planned ${plan.fits}, Swarm ran ${view?.running}`);
    } finally {
      await core.workloads.remove(spec.name, 'bench');
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && sockets.some((s) => execFileSync('docker', ['-H', `unix://${s}`, 'ps', '-q'], { encoding: 'utf8' }).trim() !== ''); ) await new Promise((r) => setTimeout(r, 200));
      if (drain) docker('node', 'update', '--availability', 'active', drain);
    }
  }
} finally {
  await core.close();
  await fleet.stop();
  labDown();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
for (const miss of result.misses) console.error(`[plan miss] ${miss}`);
console.log(JSON.stringify({ matches: result.matches, specs: result.specs, plan_ms: median(result.plan_ms), node_ls_ms: median(result.node_ls_ms) }));
