import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { ServiceConfig } from '../shared/schemas/config';
import type { PinnedSources } from '../core/monitor/settings-store';
import { defaultDataDir } from '../core/registry/data-dir';
import { FleetSimulator } from '../core/simulator/fleet-simulator';
import { demoHostKey, demoSpecs } from '../core/simulator/demo-fleet';
import { readJsonFile } from '../core/util/read-json-file';
import { banner, startService } from './serve';
import { PACKAGE_ROOT } from './package-info';

function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const binary = require('electron') as unknown as string;
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** `npm run demo`: simulate data/nodes.json on loopback and start the desktop app (or --headless) on it. */
export async function runDemo(config: ServiceConfig, args: string[], pinned: PinnedSources = {}): Promise<void> {
  const nodesFile = config.NODES_FILE_PATH ?? path.join(PACKAGE_ROOT, 'data/nodes.json');
  const document = readJsonFile(nodesFile, 'NODES_FILE_PATH') as { nodes: Record<string, unknown> };
  const dataDir = config.DATA_DIR ?? `${defaultDataDir()}-demo`;
  const sim = await new FleetSimulator(demoSpecs(document, 'node-07', 20_000, 80_000, demoHostKey(dataDir))).start();
  console.log(`Simulating ${sim.nodes.size} nodes from ${nodesFile} on loopback; node-07 goes down at 20 s and comes back at 80 s.`);
  const demoConfig: ServiceConfig = {
    ...config,
    DATA_DIR: dataDir,
    NODES_FILE_PATH: nodesFile,
    HEALTH_CHECK_INTERVAL: pinned.interval_s ? config.HEALTH_CHECK_INTERVAL : 5,
  };
  const electron = args.includes('--headless') ? null : electronBinary();
  if (!electron) {
    if (!args.includes('--headless')) console.log('No Electron binary here (see README); starting the headless service and web UI instead.');
    // The demo sweeps every 5 s unless an interval was given.
    const service = await startService(demoConfig, console.log, { interval_s: 'demo', ...pinned });
    service.core.guardProcess();
    console.log(banner(service));
    const stop = async () => {
      await service.close();
      await sim.stop();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  if (!fs.existsSync(path.join(PACKAGE_ROOT, 'out/main/index.js'))) {
    console.log('Building the desktop app once (npm run build)…');
    const built = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'scripts/build.mjs')], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed; see above');
  }
  const app = spawn(electron, [PACKAGE_ROOT], {
    stdio: 'inherit',
    env: { ...process.env, DATA_DIR: demoConfig.DATA_DIR, NODES_FILE_PATH: nodesFile, HEALTH_CHECK_INTERVAL: '5' },
  });
  app.on('error', async (error) => {
    console.error(`Could not start Electron (${error.message}); run \`npm run demo -- --headless\` for the web UI.`);
    await sim.stop();
    process.exit(1);
  });
  app.on('exit', async (code) => {
    await sim.stop();
    process.exit(code ?? 0);
  });
}
