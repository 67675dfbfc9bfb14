import { build } from 'vite';

/** The web UI is served from out/web; build it once so the browser tests run the current renderer. */
export default async function setup(): Promise<void> {
  // vitest sets NODE_ENV=test, which would give the browser React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: 'vite.web.config.ts', mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
