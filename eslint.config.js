import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layering (see README): shared → core → main | server; preload and renderer see only shared.
// Each layer lists what it must not import; an upward import fails `npm run lint`.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// Relative imports only (`../server/x`), so a package such as @modelcontextprotocol/server is not caught.
const layer = (name) => ({ regex: `^\\.\\.?/(.*/)?${name}(/.*)?$`, message: `layer rule: this layer must not import from src/${name}` });
const electron = { name: 'electron', message: 'layer rule: only src/main and src/preload may import electron' };
const electronStore = { name: 'electron-store', message: 'layer rule: electron-store needs Electron; use conf outside src/main' };
const builtins = nodeBuiltins.map((name) => ({ name, message: 'layer rule: this layer runs without Node; use window.api or src/shared' }));

export const layerRules = {
  'src/shared/**': { paths: [electron, electronStore, ...builtins], patterns: ['core', 'main', 'server', 'preload', 'renderer'].map(layer) },
  'src/core/**': { paths: [electron, electronStore], patterns: ['main', 'server', 'preload', 'renderer'].map(layer) },
  'src/server/**': { paths: [electron, electronStore], patterns: ['main', 'preload', 'renderer/src'].map(layer) },
  'src/main/**': { paths: [], patterns: ['preload', 'renderer/src'].map(layer) },
  'src/preload/**': { paths: [...builtins], patterns: ['core', 'main', 'server', 'renderer'].map(layer) },
  'src/renderer/**': { paths: [electron, electronStore, ...builtins], patterns: ['core', 'main', 'server', 'preload'].map(layer) },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'tests/fixtures/**', 'test-results/**', 'bench-results/**', '.peer-tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  { files: ['src/renderer/**', 'src/preload/**'], languageOptions: { globals: { ...globals.browser } } },
  ...Object.entries(layerRules).map(([files, rule]) => ({ files: [files], rules: { 'no-restricted-imports': ['error', rule] } })),
);
