import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import pkg from './package.json' with { type: 'json' };

// The main process is bundled with its dependencies, as out/cli is: app.asar then carries one
// tree of built code instead of node_modules. External stay only Electron and the optional native
// speed-ups that packages require inside try/catch (absent, they use their JavaScript code).
const OPTIONAL_NATIVE = ['cpu-features', 'bufferutil', 'utf-8-validate'];
// MCO_MAIN_UNBUNDLED=1 builds the main process as before (dependencies loaded from node_modules): the
// bench's reference for the start-up this bundling saves (scripts/bench/desktop-ready.ts).
const bundledDeps = process.env.MCO_MAIN_UNBUNDLED ? [] : Object.keys(pkg.dependencies);

// The same renderer (src/renderer) is built for the Electron window and for the headless web UI.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin({ exclude: bundledDeps })],
    // Minified as out/cli is: the bundle is parsed at every start.
    build: { minify: true, rollupOptions: { input: { index: resolve('src/main/index.ts') }, external: OPTIONAL_NATIVE } },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    // Sandboxed preloads must be CommonJS; .cjs because package.json says "type": "module".
    build: { rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
  },
});
