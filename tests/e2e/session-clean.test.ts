import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';
import { STATE_HEX } from '../../src/renderer/src/components/state-colors';
import { chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService } from '../helpers/service';

// A scripted session in Chromium: add, edit, check now, pause, resume, delete, and the service
// restarting while the page is open. The page must log no error and leave no promise rejection
// unhandled. Simulated nodes on 127.60.1.x.
const sim = new FleetSimulator([1, 2].map((i) => ({ ip: `127.60.1.${i}`, http_port: 8080, behaviour: 'healthy' as const })));
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;
let page: Page;
const problems: string[] = [];

// Chromium itself logs a failed WebSocket handshake as a console error while the service is down;
// that line comes from the browser's network stack, not from the page's code, and is the only one let through.
const browserNetworkNoise = (text: string) => /^WebSocket connection to 'ws:\/\/127\.60\.1\.100:\d+\/bridge' failed/.test(text);

const start = (overrides: Record<string, unknown> = {}) => startTestService({ HOST: '127.60.1.100', TEST_TIMING: true, HEALTH_CHECK_INTERVAL: 0.5, HEALTH_CHECK_TIMEOUT: 0.4, FAILURE_THRESHOLD: 1, RECOVERY_THRESHOLD: 1, ...overrides });
const row = (id: string) => page.locator(`[data-node-id="${id}"]`);

describe.skipIf(chromiumMissing)('a scripted session leaves no error behind', () => {
  beforeAll(async () => {
    await sim.start();
    service = await start();
    service.core.registry.create({ id: 'keep-1', hostname: 'keep-1', tailscale_ip: '127.60.1.1', role: 'master', cpu_cores: 2, memory_gb: 4, probes: [{ type: 'http', port: 8080 }] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as unknown as { __rejections: string[] }).__rejections = seen;
      window.addEventListener('unhandledrejection', (e) => seen.push(String((e.reason as Error)?.stack ?? e.reason)));
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !browserNetworkNoise(message.text())) problems.push(`console: ${message.text()}`);
    });
    await page.goto(service.loginUrl);
    await row('keep-1').locator('xpath=self::*[@data-state="healthy"]').waitFor({ timeout: 5000 });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await sim.stop();
  });

  it('adds, edits, checks, pauses, resumes, deletes, imports and opens the command dialog without an error', async () => {
    await page.locator('header').getByRole('button', { name: 'Add node' }).click();
    const form = page.locator('form');
    await form.getByLabel('ID', { exact: true }).fill('temp-2');
    await form.getByLabel('Hostname').fill('temp-2');
    await form.getByLabel('Tailscale IP').fill('127.60.1.2');
    for (const [label, value] of [['CPU cores', '2'], ['Memory (GB)', '4']]) if (await form.getByLabel(label).count()) await form.getByLabel(label).fill(value);
    await form.getByRole('button', { name: 'Add node' }).click();
    await expect.poll(() => row('temp-2').count(), { timeout: 5000 }).toBe(1);

    await row('temp-2').click();
    await page.locator('.detail').getByRole('button', { name: 'Edit' }).click();
    await page.locator('form').getByLabel('Hostname').fill('temp-2-renamed');
    await page.locator('form').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row('temp-2').locator('.c-hostname').textContent(), { timeout: 5000 }).toBe('temp-2-renamed');

    await page.locator('header').getByRole('button', { name: 'Check now' }).click();
    await expect.poll(() => page.locator('header').getByRole('button', { name: 'Check now' }).isEnabled(), { timeout: 5000 }).toBe(true);
    await page.getByRole('button', { name: 'Pause 1 h' }).click();
    await expect.poll(() => page.getByTestId('cluster-state').getAttribute('data-state')).toBe('paused');
    await page.getByRole('button', { name: 'Resume monitoring' }).click();
    await expect.poll(() => page.getByTestId('cluster-state').getAttribute('data-state'), { timeout: 5000 }).not.toBe('paused');

    await row('temp-2').click();
    await page.locator('.detail').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => row('temp-2').count(), { timeout: 5000 }).toBe(0);
    expect(service.core.registry.get('temp-2')).toBeUndefined();

    // Import a nodes.json, then open and close the command dialog.
    await page.getByRole('button', { name: 'Import / export' }).click();
    await page.getByLabel('nodes.json contents').fill(JSON.stringify({ nodes: { 'temp-3': { hostname: 'temp-3', tailscale_ip: '127.60.1.3', role: 'worker', cpu_cores: 1, memory_gb: 1 } } }));
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByTestId('import-report').textContent(), { timeout: 5000 }).toContain('temp-3');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => row('temp-3').count(), { timeout: 5000 }).toBe(1);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Run command on \d+/ }).click();
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 5000 }).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 5000 }).toBe(0);
    expect(problems).toEqual([]);
  });

  it('survives a service restart with the page open: says it lost the service, greys the times, then catches up', async () => {
    const port = Number(new URL(service.url).port);
    const dataDir = service.config.DATA_DIR;
    await service.close();
    await expect.poll(() => page.getByTestId('connection-lost').count(), { timeout: 5000 }).toBe(1);
    await expect.poll(() => page.getByTestId('last-sweep').getAttribute('data-stale')).toBe('true');
    expect(await row('keep-1').locator('.ago').getAttribute('data-stale')).toBe('true');
    // The cluster's state is what the service last said, greyed, in the header, the title and the favicon (issue 40, item 10).
    const pill = page.getByTestId('cluster-state');
    expect(await pill.getAttribute('data-stale')).toBe('true');
    expect(await pill.locator('strong').textContent()).toMatch(/^Last known: /);
    expect(await page.title()).toBe('(no link to the service) MCP Cloud Orchestrator');
    expect(await page.locator('link[rel="icon"]').getAttribute('data-colour')).toBe(STATE_HEX.unknown);
    await page.screenshot({ path: screenshotPath('session-service-restarting') });
    // Pressing buttons while the service is away reports the failure; it does not throw.
    await page.locator('header').getByRole('button', { name: 'Check now' }).click();
    await expect.poll(() => page.locator('header').getByRole('alert').textContent(), { timeout: 5000 }).toMatch(/^Check now failed: /);

    service = await start({ PORT: port, DATA_DIR: dataDir });
    service.core.registry.create({ id: 'after-3', hostname: 'after-3', tailscale_ip: '127.60.1.2', role: 'worker', cpu_cores: 2, memory_gb: 4, probes: [{ type: 'http', port: 8080 }] });
    await expect.poll(() => page.getByTestId('connection-lost').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => row('after-3').count(), { timeout: 5000 }).toBe(1);
    await expect.poll(() => page.getByTestId('last-sweep').getAttribute('data-stale'), { timeout: 5000 }).toBe('false');
    expect(await page.getByTestId('cluster-state').getAttribute('data-stale')).toBeNull();
    expect(await page.title()).not.toContain('no link');
    expect(await row('keep-1').count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as unknown as { __rejections: string[] }).__rejections)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
