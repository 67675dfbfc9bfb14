// The desktop main process's start (issue 43): from spawning it against the stand-in Electron API
// (tests/fixtures/electron-stub) to its first tray update (the tooltip with the cluster's state), the
// bundled build (out/main) against the same code built with its dependencies left in node_modules
// (the layout before issue 43), interleaved, medians. Each start has a data directory of its own.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './stats';

const rounds = Number(process.argv[2] ?? 7);
const REGISTER = path.resolve('tests/fixtures/electron-stub/register.mjs');
const DRIVE = path.resolve('tests/fixtures/electron-stub/drive.mjs');
// At the project's top, as out/ is: the main finds the icons in ../resources from there.
const reference = path.resolve('out-bench-unbundled');
// Both built now (the bench builds only the CLI before it): out/ as npm run build makes it, and the
// reference, the same main with its dependencies external (resolved from this project's node_modules).
execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { env: { ...process.env, NODE_ENV: 'production' }, stdio: 'ignore' });
execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--outDir', reference], { env: { ...process.env, MCO_MAIN_UNBUNDLED: '1', NODE_ENV: 'production' }, stdio: 'ignore' });

function firstTrayUpdate(main: string): Promise<number> {
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-bench-desktop-'));
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', REGISTER, DRIVE, main, 'live'], {
    env: { ...process.env, STUB_USER_DATA: userData, XDG_CONFIG_HOME: userData, HEALTH_CHECK_INTERVAL: '3600', NODE_ENV: 'production' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`${main}: no tray update in 30 s`))), 30_000);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (!out.includes('"stub":"tooltip')) return;
      const ms = performance.now() - started;
      clearTimeout(timer);
      child.kill('SIGKILL');
      child.once('exit', () => {
        fs.rmSync(userData, { recursive: true, force: true });
        resolve(ms);
      });
    });
  });
}

const bundled: number[] = [];
const unbundled: number[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    for (const [main, into] of r % 2 === 0 ? ([[path.resolve('out/main/index.js'), bundled], [path.join(reference, 'main/index.js'), unbundled]] as const) : ([[path.join(reference, 'main/index.js'), unbundled], [path.resolve('out/main/index.js'), bundled]] as const)) {
      into.push(await firstTrayUpdate(main));
    }
  }
} finally {
  fs.rmSync(reference, { recursive: true, force: true });
}
console.log(JSON.stringify({ bundled_ms: median(bundled), unbundled_ms: median(unbundled), rounds }));
