import fs from 'node:fs';
import path from 'node:path';

/**
 * The web UI is the renderer built with Vite into out/web. A fresh checkout has not built it yet, so
 * the service builds it once on start (Vite is a dev dependency; a packaged install ships out/web).
 */
export async function ensureWebUi(packageRoot: string, webRoot: string, log: (line: string) => void): Promise<boolean> {
  if (fs.existsSync(path.join(webRoot, 'index.html'))) return true;
  const config = path.join(packageRoot, 'vite.web.config.ts');
  if (!fs.existsSync(config)) return false;
  log('Building the web UI once (out/web)…');
  try {
    const { build } = await import('vite');
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: config, root: path.join(packageRoot, 'src/renderer'), mode: 'production', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    return true;
  } catch (error) {
    log(`Could not build the web UI (${(error as Error).message}); the REST API and MCP still work. Run \`npm run build:web\`.`);
    return false;
  }
}
