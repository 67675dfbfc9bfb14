import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService } from '../helpers/service';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../helpers/sshd';

// Issue 17, item 9: before "Run command on N" runs anything it lists the nodes and the SSH user and
// address for each; unhealthy and maintenance nodes are left out unless asked for; masters ask once
// more. Real OpenSSH on loopback, the real service, Chromium.
const ADDRESSES = ['127.61.4.1', '127.61.4.2', '127.61.4.3', '127.61.4.4'];
let fleet: SshdFleet;
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

describe.skipIf(chromiumMissing || sshdMissing)('the command dialog shows who and where before it runs', () => {
  beforeAll(async () => {
    fleet = await startSshdFleet(ADDRESSES);
    service = await startTestService({ HOST: '127.61.0.3', SSH_KEY_PATH: fleet.clientKey, HEALTH_CHECK_INTERVAL: 1, HEALTH_CHECK_TIMEOUT: 1, FAILURE_THRESHOLD: 3 });
    // Three failures in a row make a node unhealthy: a slow check on a busy machine does not, a refused port soon does.
    const ssh = { user: fleet.user, port: fleet.port };
    const add = (id: string, i: number, extra: object) =>
      service.core.registry.create({ id, hostname: id, tailscale_ip: ADDRESSES[i], role: 'worker', ssh, probes: [{ type: 'ssh', port: fleet.port }], ...extra });
    add('m-1', 0, { role: 'master' });
    add('w-1', 1, {});
    add('w-2', 2, { maintenance: true });
    add('w-3', 3, { probes: [{ type: 'tcp', port: 1 }] }); // nothing listens: unhealthy
    const states = () => ['m-1', 'w-1', 'w-2', 'w-3'].map((id) => service.core.monitor.stateOf(id)).join();
    for (const until = Date.now() + 20_000; states() !== 'healthy,healthy,maintenance,unhealthy' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    expect(states()).toBe('healthy,healthy,maintenance,unhealthy');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await page.goto(service.loginUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await fleet?.stop();
  });

  it('lists every node with its SSH user and address, leaving out unhealthy and maintenance nodes', async () => {
    await page.getByRole('button', { name: /Run command on 4/ }).click();
    const targets = page.getByRole('table', { name: 'Target nodes' });
    await expect.poll(() => targets.locator('tbody tr').count(), { timeout: 5000 }).toBe(4);
    for (const [i, id] of ['m-1', 'w-1', 'w-2', 'w-3'].entries()) {
      expect(await targets.locator(`[data-target="${id}"]`).textContent()).toContain(`${fleet.user}@${ADDRESSES[i]}:${fleet.port}`);
    }
    expect((await targets.locator('tr.left-out').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-target')))).sort()).toEqual(['w-2', 'w-3']);
    expect(await page.getByRole('heading', { name: 'Run a command on 2 nodes' }).count()).toBe(1);
    const include = page.getByLabel('Include 2 unhealthy or maintenance nodes');
    await include.check();
    expect(await page.getByRole('heading', { name: 'Run a command on 4 nodes' }).count()).toBe(1);
    expect(await targets.locator('tr.left-out').count()).toBe(0);
    await include.uncheck();
    await page.screenshot({ path: screenshotPath('command-plan') });
  });

  it('asks before running on a master, then runs only on the nodes listed', async () => {
    await page.getByLabel('Command', { exact: true }).fill('echo ran-on-$(hostname -s >/dev/null; echo ok)');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // Nothing runs yet: the master is named and must be confirmed.
    const confirm = page.getByRole('alert').filter({ hasText: 'master node' });
    await expect.poll(() => confirm.textContent()).toContain('m-1');
    expect(await page.locator('.pane').count()).toBe(0);
    expect(service.core.ssh.audit.list(50).filter((e) => e.action === 'run_command')).toEqual([]);
    await page.screenshot({ path: screenshotPath('command-confirm-masters') });
    await page.getByRole('button', { name: 'Yes, run on masters too' }).click();
    await expect.poll(() => page.getByText('2 of 2 done').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('.pane').evaluateAll((panes) => panes.map((p) => p.getAttribute('aria-label')))).toEqual(['Output of m-1', 'Output of w-1']);
    expect(await page.getByRole('region', { name: 'Output of w-1' }).textContent()).toContain('ran-on-ok');
    const audited = service.core.ssh.audit.list(50).filter((e) => e.action === 'run_command');
    expect([...new Set(audited.flatMap((e) => e.nodes))].sort()).toEqual(['m-1', 'w-1']);
    await page.screenshot({ path: screenshotPath('command-ran') });
  });

  it('marks a failing node\'s failed checks as failures on its latency chart, with a grid in dark mode (item 14)', async () => {
    await page.getByRole('button', { name: 'Close' }).click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('[data-node-id="w-3"]').click();
    const chart = page.getByTestId('latency-chart');
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: 10_000 }).not.toBe('0');
    await expect.poll(() => page.locator('.chart-figure figcaption').textContent(), { timeout: 10_000 }).toMatch(/\d+ failed checks? \(red marks\)/);
    expect(Number(await chart.getAttribute('data-top'))).toBeGreaterThan(0);
    // The grid colour the canvas is given is the dark theme's, not the light default.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--chart-grid').trim())).toMatch(/^(#ffffff[0-9a-f]{2}|rgba\(255, 255, 255, 0\.16\))$/); // light lines on the dark panel (the build may minify it)
    await chart.screenshot({ path: screenshotPath('latency-chart-dark-failures') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('speaks Korean in a ko-KR browser', async () => {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1400, height: 900 } });
    const ko = await context.newPage();
    try {
      await ko.goto(service.loginUrl);
      await ko.locator('[data-node-id="w-1"]').click();
      await ko.getByRole('button', { name: '명령 실행', exact: true }).click();
      await expect.poll(() => ko.getByRole('heading', { name: '노드 1개에서 명령 실행' }).count(), { timeout: 5000 }).toBe(1);
      expect(await ko.getByRole('table', { name: '대상 노드' }).textContent()).toContain('SSH 접속 계정');
      await ko.screenshot({ path: screenshotPath('command-plan-ko') });
    } finally {
      await context.close();
    }
  });

  it('logged no console error and no unhandled rejection on the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
