// The built file a bin/ command runs (npm run build). A git checkout that has never been built builds
// once here (a few seconds); a packed install ships it built.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function builtEntry(relativePath) {
  const entry = new URL(`../${relativePath}`, import.meta.url);
  const checkout = new URL('../.git', import.meta.url);
  if (!fs.existsSync(entry) && fs.existsSync(checkout)) {
    process.stderr.write('Building once (npm run build)…\n');
    const built = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  return entry.href;
}
