import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root, found by walking up from this file: the same answer from the TypeScript
 * sources (src/server) and from the bundle (out/cli). Only the headless entry points use it; the
 * desktop shell passes its version and paths in.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'mcp-cloud-orchestrator') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no mcp-cloud-orchestrator package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
export const VERSION: string = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
/** The built web UI (npm run build); the service serves the API alone when it is absent. */
export const WEB_ROOT = path.join(PACKAGE_ROOT, 'out/web');
/** ReDoc's standalone script, copied at build time so redoc is not a run-time dependency. */
export const REDOC_SCRIPT = path.join(PACKAGE_ROOT, 'out/docs/redoc.standalone.js');
export const SWAGGER_UI_DIR = path.join(PACKAGE_ROOT, 'out/docs/swagger-ui');
