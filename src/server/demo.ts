import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ServiceConfig } from '../shared/schemas/config';
import { OrchestratorError } from '../shared/errors';
import type { PinnedSources } from '../core/monitor/settings-store';
import { defaultDataDir } from '../core/registry/data-dir';
import { FleetSimulator } from '../core/simulator/fleet-simulator';
import type { SimNodeSpec } from '../core/simulator/sim-node';
import { demoHostKey, demoSpecs, loadDemoFleet } from '../core/simulator/demo-fleet';
import { serveHeadless, spawnDesktopApp } from './desktop';
import { ensureElectron, type ElectronLookupOptions } from './electron-binary';
import { demoHolding, noteRunningDemo } from './running-demos';
import { PACKAGE_ROOT } from './package-info';

const endpointsOf = (specs: SimNodeSpec[]): string[] =>
  specs.flatMap((s) => [s.http_port, s.tcp_port, s.ssh_port].filter((p): p is number => p !== undefined).map((port) => `${s.ip}:${port}`));

/** An address another process holds, said in one line: which demo holds it and where its data is, if one does. */
function takenError(error: unknown): unknown {
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code !== 'EADDRINUSE' || e.address === undefined) return error;
  const endpoint = `${e.address}:${e.port}`;
  const holder = demoHolding(endpoint);
  const advice = 'stop it first, or give this demo other addresses (NODES_FILE_PATH) and another --port';
  return new OrchestratorError(
    'conflict',
    holder
      ? `${endpoint} is taken by the demo already running (pid ${holder.pid}, data dir ${holder.data_dir}${holder.url ? `, ${holder.url}` : ''}); ${advice}`
      : `${endpoint} is already in use by another program; ${advice}`,
  );
}

/** Refuses at once when the service's port is held, before anything is simulated or imported. */
async function portFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) => reject(takenError(Object.assign(error, { address: host, port }))));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** `npm run demo`: simulate data/nodes.json on loopback and start the desktop app (or --headless) on it. */
export async function runDemo(config: ServiceConfig, args: string[], pinned: PinnedSources = {}, electron: ElectronLookupOptions = {}): Promise<void> {
  const lookup = args.includes('--headless') ? null : await ensureElectron(electron);
  // Headless, the demo serves on PORT: a taken one stops it now, not after importing the fleet.
  if (!lookup?.binary) await portFree(config.HOST, config.PORT);
  const sourceFile = config.NODES_FILE_PATH ?? path.join(PACKAGE_ROOT, 'data/nodes.json');
  const dataDir = config.DATA_DIR ?? `${defaultDataDir()}-demo`;
  const { document, loopback } = await loadDemoFleet(sourceFile, config.DEMO_LOOPBACK === 'auto' ? undefined : config.DEMO_LOOPBACK);
  let nodesFile = sourceFile;
  if (loopback === 'single') {
    // The registry imports the fleet as served: every node on 127.0.0.1 with ports of its own.
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    nodesFile = path.join(dataDir, 'demo-fleet-single-address.json');
    fs.writeFileSync(nodesFile, JSON.stringify(document, null, 2), { mode: 0o600 });
  }
  const specs = demoSpecs(document, 'node-07', 20_000, 80_000, demoHostKey(dataDir));
  const sim = new FleetSimulator(specs);
  try {
    await sim.start();
  } catch (error) {
    await sim.stop();
    throw takenError(error);
  }
  const where = loopback === 'single' ? 'on 127.0.0.1, each with ports of its own (this system has no other loopback addresses)' : 'on loopback';
  console.log(`Simulating ${sim.nodes.size} nodes from ${sourceFile} ${where}; node-07 goes down at 20 s and comes back at 80 s.`);
  const demoConfig: ServiceConfig = {
    ...config,
    DATA_DIR: dataDir,
    NODES_FILE_PATH: nodesFile,
    HEALTH_CHECK_INTERVAL: pinned.interval_s ? config.HEALTH_CHECK_INTERVAL : 5,
  };
  if (!lookup?.binary) {
    if (lookup) console.log(`No desktop app: ${lookup.reason}. Starting the headless service and web UI instead.`);
    // The demo sweeps every 5 s unless an interval was given.
    const service = await serveHeadless(demoConfig, { interval_s: 'demo', ...pinned }, () => sim.stop()).catch(async (error: unknown) => {
      await sim.stop();
      throw takenError(error);
    });
    noteRunningDemo({ data_dir: dataDir, url: service.url, endpoints: [...endpointsOf(specs), `${config.HOST}:${new URL(service.url).port}`] });
    return;
  }
  noteRunningDemo({ data_dir: dataDir, endpoints: endpointsOf(specs) });
  spawnDesktopApp(lookup.binary, { ...process.env, DATA_DIR: dataDir, NODES_FILE_PATH: nodesFile, HEALTH_CHECK_INTERVAL: '5' }, () => sim.stop());
}
