import { spawnSync } from 'node:child_process';

/** Tests run what ships: build everything once (out/cli, out/main, out/preload, out/renderer, out/web). */
export default function setup(): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}\n${built.stderr}`);
}
