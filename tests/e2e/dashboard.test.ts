import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';
import { chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService } from '../helpers/service';
import { sampleTailnet } from '../helpers/tailscale-status';

// The dashboard in real Chromium against the headless service, with simulated nodes on loopback.
const sim = new FleetSimulator([1, 2, 3, 4].map((i) => ({ ip: `127.41.0.${i}`, http_port: 8080, behaviour: i === 4 ? ('refusing' as const) : ('healthy' as const) })));
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;
let page: Page;
const framesReceived: string[] = [];

const rowState = (id: string) => page.locator(`[data-node-id="${id}"]`).getAttribute('data-state');

describe.skipIf(chromiumMissing)('dashboard in Chromium', () => {
  beforeAll(async () => {
    await sim.start();
    service = await startTestService({ TEST_TIMING: true, HEALTH_CHECK_INTERVAL: 0.3, HEALTH_CHECK_TIMEOUT: 0.5, FAILURE_THRESHOLD: 2, RECOVERY_THRESHOLD: 2 });
    [1, 2, 3, 4].forEach((i) =>
      service.core.registry.create({ id: `sim-${i}`, hostname: `sim-${i}`, tailscale_ip: `127.41.0.${i}`, role: i === 1 ? 'master' : 'worker', cpu_cores: 2, memory_gb: 4, probes: [{ type: 'http', port: 8080 }] }),
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => framesReceived.push(String(frame.payload))));
    await page.goto(service.loginUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await sim.stop();
  });

  it('lists the fleet with correct states and removes the token from the address bar', async () => {
    await expect.poll(() => rowState('sim-1'), { timeout: 5000 }).toBe('healthy');
    await expect.poll(() => rowState('sim-4'), { timeout: 5000 }).toBe('unhealthy');
    expect(await rowState('sim-2')).toBe('healthy');
    expect(page.url()).not.toContain('token=');
    expect(await page.getByTestId('count-healthy').textContent()).toBe('3/4');
    await page.screenshot({ path: screenshotPath('dashboard-fleet') });
  });

  it('moves through the table with the keyboard and sorts by a column', async () => {
    await page.getByTestId('node-table').focus();
    await page.keyboard.press('Home'); // problems first: sim-4 (unhealthy), then sim-1, sim-2, sim-3
    expect(await page.locator('[role="row"][aria-selected="true"]').getAttribute('data-node-id')).toBe('sim-4');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('[role="row"][aria-selected="true"]').getAttribute('data-node-id')).toBe('sim-2');
    await expect.poll(() => page.getByRole('complementary', { name: 'Node sim-2' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await page.locator('[role="row"][data-node-id]').first().getAttribute('data-node-id')).toBe('sim-4'); // problems first by default
    await page.getByRole('button', { name: /^State/ }).click(); // reversed: healthy first
    expect(await page.locator('[role="row"][data-node-id]').last().getAttribute('data-node-id')).toBe('sim-4');
    await page.getByRole('button', { name: /^ID/ }).click();
  });

  it('receives pushed status changes through the bridge', async () => {
    await expect.poll(() => framesReceived.some((f) => f.includes('"event":"status"')), { timeout: 5000 }).toBe(true);
    expect(framesReceived.some((f) => f.includes('"event":"health"'))).toBe(true);
  });

  it('shows an inline error naming the field for an invalid IP', async () => {
    await page.getByRole('button', { name: 'Add node' }).click();
    await page.locator('form').getByLabel('Tailscale IP').fill('300.1.2.3');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('Tailscale IP: must be an IPv4 or IPv6 address');
    await page.screenshot({ path: screenshotPath('add-node-invalid-ip') });
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('adds a node through the form; it appears and persists', async () => {
    await page.getByRole('button', { name: 'Add node' }).click();
    const form = page.locator('form');
    await form.getByLabel('ID', { exact: true }).fill('added-5');
    await form.getByLabel('Hostname').fill('added-host');
    await form.getByLabel('Tailscale IP').fill('127.41.0.5');
    await form.getByLabel('Role').selectOption('storage');
    await form.getByLabel('CPU cores').fill('4');
    await form.getByLabel('Memory (GB)').fill('8');
    await form.getByLabel('Tags').fill('e2e, disk');
    await form.getByRole('button', { name: 'Add node' }).click();
    await expect.poll(() => page.locator('[data-node-id="added-5"]').count()).toBe(1);
    // Acknowledged in the registry's journal at once; nodes.json itself catches up a second after the last change.
    const stored = () => JSON.parse(fs.readFileSync(service.core.registry.path, 'utf8')).nodes['added-5'];
    await expect.poll(stored, { timeout: 5000 }).toMatchObject({ hostname: 'added-host', role: 'storage', tags: ['e2e', 'disk'] });
    await page.reload();
    await expect.poll(() => page.locator('[data-node-id="added-5"]').count()).toBe(1);
  });

  it('turns a row unhealthy during a simulated outage and back within the thresholds', async () => {
    await sim.set('127.41.0.2', 'refusing');
    const downAt = Date.now();
    await expect.poll(() => rowState('sim-2'), { timeout: 5000, interval: 50 }).toBe('unhealthy');
    // 2 failures at a 0.3 s interval (+10 % jitter) plus probe time: well under 2 s.
    expect(Date.now() - downAt).toBeLessThan(2000);
    await page.locator('[data-node-id="sim-2"]').click();
    await expect.poll(() => page.getByTestId('detail-state').textContent()).toContain('Unhealthy');
    await page.screenshot({ path: screenshotPath('outage-node-detail') });
    const logged = service.core.eventLog.list({ node: 'sim-2' }).map((e) => `${e.from}->${e.to}`);
    // One event on the server is one frame and one timeline entry in the page.
    expect(logged).toEqual(['unknown->healthy', 'healthy->unhealthy']);
    expect(framesReceived.filter((f) => f.includes('"event":"event"') && f.includes('"node":"sim-2"') && f.includes('"to":"unhealthy"'))).toHaveLength(1);
    expect(await page.locator('.timeline li').allTextContents()).toHaveLength(2);
    await sim.set('127.41.0.2', 'healthy');
    const upAt = Date.now();
    await expect.poll(() => rowState('sim-2'), { timeout: 5000, interval: 50 }).toBe('healthy');
    expect(Date.now() - upAt).toBeLessThan(2000);
    expect(fs.existsSync(screenshotPath('outage-node-detail'))).toBe(true);
  });

  it('previews a Tailscale import, then applies it', async () => {
    await page.getByRole('button', { name: 'Import / export' }).click();
    await page.getByRole('button', { name: 'Tailscale' }).click();
    await page.getByLabel('tailscale status JSON').fill(JSON.stringify(sampleTailnet()));
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByTestId('tailscale-report').textContent()).toContain('added 7');
    expect(await page.getByTestId('tailscale-report').textContent()).toContain('skipped old-box: node key expired');
    expect(service.core.registry.get('ctrl-1')).toBeUndefined();
    await page.screenshot({ path: screenshotPath('tailscale-preview') });
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('[data-node-id="ctrl-1"]').count()).toBe(1);
    await expect.poll(() => page.getByTestId('tailscale-report').textContent()).toContain('Applied:');
    expect(service.core.registry.get('ctrl-1')?.role).toBe('master');
  });
});
