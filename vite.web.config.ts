import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer built for the headless service's web UI (served at /); the Electron window uses
// the same sources through electron.vite.config.ts.
export default defineConfig({
  root: resolve('src/renderer'),
  base: '/',
  plugins: [react()],
  build: { outDir: resolve('out/web'), emptyOutDir: true },
});
