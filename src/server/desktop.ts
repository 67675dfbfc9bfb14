import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { ServiceConfig } from '../shared/schemas/config';
import type { PinnedSources } from '../core/monitor/settings-store';
import { ensureElectron, type ElectronLookupOptions } from './electron-binary';
import { banner, startService } from './serve';
import { PACKAGE_ROOT } from './package-info';

/** Starts the Electron app from this checkout (built once if out/main is missing); its exit ends us. */
export function spawnDesktopApp(binary: string, env: NodeJS.ProcessEnv, onExit: (code: number) => Promise<void> | void = () => {}): ChildProcess {
  if (!fs.existsSync(path.join(PACKAGE_ROOT, 'out/main/index.js'))) {
    console.log('Building the desktop app once (npm run build)…');
    const built = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'scripts/build.mjs')], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed; see above');
  }
  const app = spawn(binary, [PACKAGE_ROOT], { stdio: 'inherit', env });
  app.on('error', async (error) => {
    console.error(`Could not start Electron (${error.message}); \`npm run serve\` starts the headless service and web UI.`);
    await onExit(1);
    process.exit(1);
  });
  app.on('exit', async (code) => {
    await onExit(code ?? 0);
    process.exit(code ?? 0);
  });
  return app;
}

/** Runs the headless service until SIGINT/SIGTERM, printing its banner. */
export async function serveHeadless(config: ServiceConfig, pinned: PinnedSources, onStop: () => Promise<void> | void = () => {}): Promise<Awaited<ReturnType<typeof startService>>> {
  const service = await startService(config, console.log, pinned);
  service.core.guardProcess();
  console.log(banner(service));
  const stop = async () => {
    await service.close();
    await onStop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return service;
}

/** `npm start`: the desktop app on your own data; where Electron cannot run, the headless service, saying why. */
export async function runDesktop(config: ServiceConfig, pinned: PinnedSources, electron: ElectronLookupOptions = {}): Promise<void> {
  const lookup = await ensureElectron(electron);
  if (lookup.binary) {
    spawnDesktopApp(lookup.binary, process.env);
    return;
  }
  console.log(`No desktop app: ${lookup.reason}. Starting the headless service and web UI instead.`);
  await serveHeadless(config, pinned);
}
