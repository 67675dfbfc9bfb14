#!/usr/bin/env node
// The package's command: `mcp-orchestrator serve | mcp | demo | import | export`.
// The core runs from TypeScript sources through tsx, so no build is needed headless.
import { register } from 'tsx/esm/api';

register();
await import('../src/server/cli.ts');
