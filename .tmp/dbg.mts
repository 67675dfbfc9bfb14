import { createCore } from '../src/core/app-core';
import { MonitorSettingsSchema } from '../src/shared/schemas/settings';
import fs from 'node:fs';
const dir = fs.mkdtempSync('/tmp/dbg-');
const core = createCore({ dataDir: dir, settings: MonitorSettingsSchema.parse({}), demoNodesFile: '/work/wt/me/data/nodes.json' });
await core.startDemo();
try { console.log('metrics', await core.ssh.getMetrics('node-01')); } catch (e) { console.log('ERR', e); }
await core.close(); process.exit(0);
