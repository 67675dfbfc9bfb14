// Dashboard speed in Chromium with N nodes (argv, default 1,000): first render, and scripting time to apply one
// health update that touches every node. Runs the real headless service and web UI.
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { ServiceConfigSchema } from '../../src/shared/schemas/config';
import type { HealthState } from '../../src/shared/schemas/node';
import { startService } from '../../src/server/serve';
import { median } from './stats';

const rounds = Number(process.argv[2] ?? 5);
/** Measured updates per page load, after the first: a 2-core machine's noise needs many samples. */
const UPDATES_PER_ROUND = 5;
let recent = '1'.repeat(29);
const COUNT = Number(process.argv[3] ?? 1000);

process.env.NODE_ENV = 'production';
await build({ configFile: 'vite.web.config.ts', mode: 'production', logLevel: 'error' });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-ui-bench-'));
const service = await startService(ServiceConfigSchema.parse({ PORT: 0, DATA_DIR: dataDir, HEALTH_CHECK_INTERVAL: 86_400 }), () => {});
service.core.monitor.stop(); // no probes: the page is measured, not the network
service.core.registry.applyNodes(
  Array.from({ length: COUNT }, (_, i) => ({
    id: `node-${String(i).padStart(4, '0')}`, hostname: `host-${i}.tailnet.ts.net`, tailscale_ip: `127.70.${Math.floor(i / 250)}.${1 + (i % 250)}`,
    role: i === 0 ? 'master' : i % 10 === 0 ? 'storage' : 'worker', description: '', cpu_cores: 8, memory_gb: 32, tags: ['bench', `rack-${i % 8}`],
    probes: [], maintenance: false,
  })),
);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const renders: number[] = [];
const loads: number[] = [];
const coldUpdates: number[] = [];
const updates: number[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    // bypassCSP: the measuring snippets are strings (see below), which the app's CSP would refuse.
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    if (process.env.DEBUG_BENCH) page.on('console', (m) => console.error(m.text())).on('pageerror', (e) => console.error(e));
    // Time from navigation start to the first row of the table in the DOM.
    await page.addInitScript(`
    const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
    Object.defineProperty(WebSocket.prototype, 'onmessage', {
      get() { return onmessage.get.call(this); },
      set(handler) {
        onmessage.set.call(this, function (event) {
          if (typeof event.data === 'string' && event.data.startsWith('{"event":"health"')) window.__healthAt = performance.now();
          return handler.call(this, event);
        });
      },
    });
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-node-id]')) { window.__firstRow = performance.now(); observer.disconnect(); }
    }).observe(document, { childList: true, subtree: true });`);
    await page.goto(service.loginUrl);
    await page.waitForFunction('window.__firstRow !== undefined');
    // Render: from the snapshot of 1,000 nodes arriving in the store to the table's rows in the DOM.
    const [firstRow, snapshot] = (await page.evaluate(`[window.__firstRow, performance.getEntriesByName('mco:snapshot')[0].startTime]`)) as number[];
    renders.push(firstRow - snapshot);
    loads.push(firstRow);

    // Update: from the pushed health message reaching the page to the rows showing the new state.
    // Both ends are stamped inside the page, so nothing of Playwright's own is counted. The first
    // update after load warms the page up (a dashboard stays open for hours); the second is measured.
    const pushUpdate = async (state: HealthState): Promise<number> => {
      await page.waitForTimeout(300);
      await page.evaluate(`window.__applied = new Promise((resolve) => {
        window.__healthAt = undefined;
        new MutationObserver((_, o) => {
          if (document.querySelector('[data-node-id="node-0000"]')?.getAttribute('data-state') !== '${state}') return;
          o.disconnect();
          resolve(performance.now() - window.__healthAt);
        }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
      }); true`); // the observer is in place before the update is sent
      const checkedAt = new Date().toISOString();
      // What the monitor sends after a sweep: each node's heartbeat strip and 24 h uptime too.
      recent = (recent + (state === 'healthy' ? '1' : '0')).slice(-30);
      service.core.monitor.events.emit(
        'health',
        service.core.registry.all().map((n) => ({
          id: n.id,
          health: { status: state, latency_ms: state === 'healthy' ? 1.2 : null, checked_at: checkedAt, error: state === 'healthy' ? null : 'connection refused', recent, uptime_24h: 0.9931 },
        })),
      );
      return (await page.evaluate('window.__applied')) as number;
    };
    coldUpdates.push(await pushUpdate('unhealthy'));
    for (let i = 0; i < UPDATES_PER_ROUND; i++) updates.push(await pushUpdate(i % 2 === 0 ? 'healthy' : 'unhealthy'));
    await page.close();
  }
} finally {
  await browser.close();
  await service.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify({ render_ms: median(renders), update_ms: median(updates), cold_update_ms: median(coldUpdates), page_load_ms: median(loads), renders, updates, coldUpdates }));
process.exit(0);
