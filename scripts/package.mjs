#!/usr/bin/env node
// `npm run package`: build, then electron-builder. electron-builder downloads Electron for the target
// unless -c.electronDist names a local build; without a network it fails after a minute with a stack
// trace. This says in one line why, and how to package offline, before trying.
import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import fs from 'node:fs';

// --skip-build: package what out/ holds (a test uses it, so no build runs beside other tests).
const skipBuild = process.argv.includes('--skip-build');
const args = process.argv.slice(2).filter((a) => a !== '--skip-build');
const OFFLINE_HOW = 'package offline with `npm run package -- --linux dir -c.electronDist=DIR`, DIR holding an Electron build (electron, version, resources/)';

if (!skipBuild) {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const localElectron = args.some((a) => a.startsWith('-c.electronDist=') || a.startsWith('--config.electronDist=')) || fs.existsSync('node_modules/electron/dist/version');
if (!localElectron) {
  const host = process.env.ELECTRON_MIRROR ? new URL(process.env.ELECTRON_MIRROR).hostname : 'github.com';
  const reachable = await Promise.race([lookup(host).then(() => true, () => false), new Promise((r) => setTimeout(() => r(false), 3000))]);
  if (!reachable) {
    console.error(`npm run package needs Electron's binaries, downloaded from ${host}, which this machine cannot resolve; ${OFFLINE_HOW}.`);
    process.exit(1);
  }
}
const packaged = spawnSync(process.execPath, ['node_modules/electron-builder/cli.js', ...args], { stdio: ['inherit', 'inherit', 'pipe'], encoding: 'utf8' });
if (packaged.status !== 0 && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(packaged.stderr ?? '')) {
  console.error(`npm run package could not download what electron-builder needs (${/(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT)[^\n]*/.exec(packaged.stderr)[0].trim()}); ${OFFLINE_HOW}.`);
} else if (packaged.stderr) process.stderr.write(packaged.stderr);
process.exit(packaged.status ?? 1);
