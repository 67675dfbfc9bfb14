// The window's actions on the demo fleet, in Chromium at 1280×800 (issue 40, item 17): for each, the
// time from the click to the first visible feedback and to the finished result, both stamped inside
// the page. The fleet is data/nodes.json simulated in the bench's own block, node-07 down as in the demo.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { chromium, type Page } from 'playwright-core';
import { ServiceConfigSchema } from '../../src/shared/schemas/config';
import { startService } from '../../src/server/serve';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';
import { demoSpecs } from '../../src/core/simulator/demo-fleet';
import { benchHost, benchPort } from './bench-addresses';
import { median } from './stats';

const rounds = Number(process.argv[2] ?? 5);

process.env.NODE_ENV = 'production';
await build({ configFile: 'vite.web.config.ts', mode: 'production', logLevel: 'error' });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-ui-actions-'));
const seed = JSON.parse(fs.readFileSync('data/nodes.json', 'utf8')) as { nodes: Record<string, { tailscale_ip: string }> };
const document = { nodes: Object.fromEntries(Object.entries(seed.nodes).map(([id, node], i) => [id, { ...node, tailscale_ip: benchHost(2, i + 1) }])) };
const nodesFile = path.join(dataDir, 'nodes.json');
fs.writeFileSync(nodesFile, JSON.stringify(document));
// node-07 is down from the start (refusing, as in the demo's outage), every node ending in 3 answers in 120 ms.
const sim = new FleetSimulator(demoSpecs(document, 'node-07', 0, 3_600_000));
await sim.start();
const service = await startService(
  ServiceConfigSchema.parse({ HOST: benchHost(2, 100), PORT: benchPort(103), DATA_DIR: dataDir, NODES_FILE_PATH: nodesFile, HEALTH_CHECK_INTERVAL: 5, METRICS_INTERVAL: 3600 }),
  () => {},
);

/**
 * Clicks what `target` finds and stamps, in the page, the first change of the DOM (feedback) and the
 * moment `done` holds (result). Both are measured from the click, so Playwright's own time is not counted.
 */
async function timed(page: Page, target: string, done: string): Promise<{ feedback: number; result: number }> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const element = ${target};
    if (!element) return reject(new Error('not found: ' + ${JSON.stringify(target)}));
    let feedback;
    const observer = new MutationObserver(() => { feedback ??= performance.now(); });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const started = performance.now();
    element.click();
    const poll = () => {
      if (${done}) {
        observer.disconnect();
        const end = performance.now();
        return resolve({ feedback: (feedback ?? end) - started, result: end - started });
      }
      if (performance.now() - started > 15000) return reject(new Error('not done: ' + ${JSON.stringify(done)}));
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  })`)) as { feedback: number; result: number };
}

const button = (name: string) => `[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === ${JSON.stringify(name)} && b.offsetParent !== null)`;
const ACTIONS: Array<{ name: string; target: string; done: string }> = [
  { name: 'check_now', target: button('Check now'), done: `${button('Check now')} && !${button('Check now')}.disabled` },
  { name: 'open_detail', target: `document.querySelector('[data-node-id="node-03"]')`, done: `document.querySelector('.chart-box[data-range="1h"][aria-busy="false"] [data-testid=latency-chart] canvas')` },
  { name: 'toggle_24h', target: button('24 h'), done: `document.querySelector('.chart-box[data-range="24h"][aria-busy="false"] [data-testid=latency-chart] canvas')` },
  { name: 'pause', target: button('Pause 1 h'), done: `${button('Resume monitoring')}` },
  { name: 'resume', target: button('Resume monitoring'), done: `${button('Pause 1 h')}` },
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const samples: Record<string, { feedback: number[]; result: number[] }> = Object.fromEntries(ACTIONS.map((a) => [a.name, { feedback: [], result: [] }]));
try {
  // Two sweeps first, so every node has a state and a latency history, as a person finds the demo.
  await new Promise((resolve) => setTimeout(resolve, 6000));
  for (let round = 0; round < rounds; round++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    if (process.env.DEBUG_BENCH) page.on('console', (m) => console.error(m.text())).on('pageerror', (e) => console.error(e));
    await page.goto(service.loginUrl);
    await page.waitForSelector('[data-node-id="node-03"]');
    await page.waitForTimeout(500);
    for (const action of ACTIONS) {
      const { feedback, result } = await timed(page, action.target, action.done);
      samples[action.name].feedback.push(feedback);
      samples[action.name].result.push(result);
      await page.waitForTimeout(300);
    }
    // The next round starts with the detail closed and the chart back at 1 h, as a fresh page does.
    await page.close();
  }
} finally {
  await browser.close();
  await service.close();
  await sim.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, { feedback_ms: median(s.feedback), result_ms: median(s.result), results: s.result }]))));
process.exit(0);
