import { spawnSync } from 'node:child_process';

/** The CLI built with evaluation markers (tests/server/start-evaluation.test.ts). */
export const MARKED_CLI = 'out/cli-markers/cli.cjs';

/**
 * Tests run what ships: build everything once (out/cli, out/main, out/preload, out/renderer, out/web),
 * and the marked CLI beside it, here rather than in a test where it would slow the suites beside it.
 */
export default function setup(): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}\n${built.stderr}`);
  const marked = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production', MCO_BUILD_MARKERS: MARKED_CLI } });
  if (marked.status !== 0) throw new Error(`the marked CLI build failed:\n${marked.stdout}\n${marked.stderr}`);
}
