import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService } from '../helpers/service';

// Issue 40, item 5: the Services view without any Docker node is a way to start, not a dead end.
// Real Chromium against the headless service on 127.102.0.100; the nodes' addresses answer nothing.
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;
let page: Page;

describe.skipIf(chromiumMissing)('Services with no Docker node', () => {
  beforeAll(async () => {
    service = await startTestService({ HOST: '127.102.0.100' });
    service.core.registry.create({ id: 'worker-1', hostname: 'worker-1', tailscale_ip: '127.102.0.2', role: 'worker', cpu_cores: 2, memory_gb: 4 });
    service.core.registry.create({ id: 'manager-1', hostname: 'manager-1', tailscale_ip: '127.102.0.1', role: 'master', cpu_cores: 2, memory_gb: 4 });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
    await page.goto(service.loginUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('says how to start, disables Deploy with the reason, and opens the manager\'s form with Docker switched on', async () => {
    page.setDefaultTimeout(8000);
    await page.getByRole('button', { name: 'Services', exact: true }).click();
    const start = page.getByTestId('no-docker');
    await start.waitFor({ timeout: 10_000 });
    expect(await start.locator('p').textContent()).toBe('Services run on Docker Swarm, and no node has Docker enabled yet. Turn it on for a Swarm manager in its node settings.');
    expect(await page.getByTestId('services-error').count()).toBe(0); // not a red error
    const deploy = page.getByTestId('deploy');
    expect(await deploy.isDisabled()).toBe(true);
    expect(await deploy.getAttribute('title')).toMatch(/^Deploy needs a Swarm manager that answers: Services run on Docker Swarm/);
    await page.screenshot({ path: screenshotPath('services-no-docker') });

    await start.getByRole('button', { name: 'Enable Docker on manager-1' }).click();
    const form = page.locator('form.node-form');
    await form.waitFor();
    expect(await form.getByRole('checkbox', { name: "Containers and Swarm through this node's Docker Engine" }).isChecked()).toBe(true);
    await form.getByLabel('Engine address').fill('tcp://127.102.0.1:2375');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => service.core.registry.get('manager-1')?.docker).toEqual({ enabled: true, via: 'ssh', host: 'tcp://127.102.0.1:2375' });
    // Docker on, but no Engine answers there: the view says why, and Deploy stays off with that reason.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByTestId('no-docker').count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId('services-error').waitFor();
    expect(await deploy.isDisabled()).toBe(true);
    expect(await deploy.getAttribute('title')).toMatch(/^Deploy needs a Swarm manager that answers: ./);
    // The form edits what it set: switched off, it is kept (off).
    await page.getByRole('button', { name: 'Nodes', exact: true }).click();
    await page.locator('[data-node-id="manager-1"]').click();
    await page.getByRole('complementary', { name: 'Node manager-1' }).getByRole('button', { name: 'Edit', exact: true }).click();
    await form.getByRole('checkbox', { name: "Containers and Swarm through this node's Docker Engine" }).uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => service.core.registry.get('manager-1')?.docker).toEqual({ enabled: false, via: 'ssh', host: 'tcp://127.102.0.1:2375' });
  });
});
