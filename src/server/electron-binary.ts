import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export type ElectronLookup = { binary: string; reason?: undefined } | { binary: null; reason: string };

export interface ElectronLookupOptions {
  /** The installed `electron` package's folder; found from here when not given (tests pass a fake). */
  packageDir?: string | null;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** A download that takes longer is given up (about 100 MB on a slow line). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

function installedPackageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The binary the `electron` package points at (its path.txt, as its own index.js reads it), if present. */
function presentBinary(packageDir: string, env: NodeJS.ProcessEnv): string | null {
  const pathFile = path.join(packageDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const relative = fs.readFileSync(pathFile, 'utf8').trim();
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative) : path.join(packageDir, 'dist', relative);
  return fs.existsSync(binary) ? binary : null;
}

/** Runs Electron's own install.js (npm ran no install script: package.json's allowScripts says so). */
function runInstallScript(packageDir: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(packageDir, 'install.js')], { cwd: packageDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(null);
      // install.js prints the error's stack: its first line says what went wrong (Node's warnings aside).
      const lines = output.split('\n').map((l) => l.trim()).filter((l) => l && !/^\((node:\d+|Use `node)/.test(l));
      const first = lines.find((l) => /^\w*Error\b/.test(l)) ?? lines[0];
      resolve(signal === 'SIGKILL' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : (first ?? `install.js exited with ${code}`));
    });
  });
}

/**
 * The Electron binary for the desktop app. A checkout installed by `npm ci` has the package but not
 * its binary (install scripts do not run), so the first start fetches it with Electron's install.js;
 * where that cannot work, the reason is returned in one line and the caller starts headless.
 */
export async function ensureElectron(options: ElectronLookupOptions = {}): Promise<ElectronLookup> {
  const env = options.env ?? process.env;
  const log = options.log ?? console.log;
  const packageDir = options.packageDir === undefined ? installedPackageDir() : options.packageDir;
  if (!packageDir) return { binary: null, reason: 'the electron package is not installed (a packed install has none; run from a git checkout after npm ci)' };
  const present = presentBinary(packageDir, env);
  if (present) return { binary: present };
  const platform = options.platform ?? process.platform;
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { binary: null, reason: 'no graphical display here (DISPLAY and WAYLAND_DISPLAY are unset), so Electron was not downloaded' };
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { binary: null, reason: "Electron's binary is missing and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded" };
  log(`Electron's binary is missing: downloading it once with ${path.join(packageDir, 'install.js')} (about 100 MB)…`);
  const failure = await runInstallScript(packageDir, env, options.timeoutMs ?? 10 * 60_000);
  if (failure) return { binary: null, reason: `tried to download Electron and could not: ${failure}` };
  const fetched = presentBinary(packageDir, env);
  return fetched ? { binary: fetched } : { binary: null, reason: 'tried to download Electron: install.js finished, but no binary is where its path.txt points' };
}
