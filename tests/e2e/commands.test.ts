import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService } from '../helpers/service';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../helpers/sshd';

const ADDRESSES = ['127.35.0.1', '127.35.0.2'];
let fleet: SshdFleet;
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;
let page: Page;

describe.skipIf(chromiumMissing || sshdMissing)('commands and metrics in the dashboard', () => {
  beforeAll(async () => {
    fleet = await startSshdFleet(ADDRESSES);
    service = await startTestService({ SSH_KEY_PATH: fleet.clientKey, HEALTH_CHECK_INTERVAL: 1 });
    ADDRESSES.forEach((ip, i) =>
      service.core.registry.create({ id: `box-${i + 1}`, hostname: `box-${i + 1}`, tailscale_ip: ip, role: 'worker', cpu_cores: 2, memory_gb: 2, ssh: { user: fleet.user, port: fleet.port }, probes: [{ type: 'ssh', port: fleet.port }] }),
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(service.loginUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await fleet?.stop();
  });

  it('streams output per node with progress', async () => {
    await page.getByRole('button', { name: 'Run command on 2' }).click();
    await page.getByLabel('Command', { exact: true }).fill('echo start-$(hostname -I >/dev/null; echo ok); sleep 0.8; echo oops >&2; echo end');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // Output appears while the command still runs (before "end").
    await expect.poll(() => page.getByRole('region', { name: 'Output of box-1' }).textContent(), { timeout: 5000, interval: 50 }).toContain('start-ok');
    expect(await page.getByRole('region', { name: 'Output of box-1' }).textContent()).not.toContain('end');
    await expect.poll(() => page.getByText('2 of 2 done').count(), { timeout: 5000 }).toBe(1);
    for (const id of ['box-1', 'box-2']) {
      const pane = await page.getByRole('region', { name: `Output of ${id}` }).textContent();
      expect(pane).toContain('✓ rc=0');
      expect(pane).toContain('oops');
      expect(pane).toContain('end');
    }
    await page.screenshot({ path: screenshotPath('command-panes') });
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('reads metrics and shows the pinned host key in the node detail', async () => {
    await page.locator('[data-node-id="box-2"]').click();
    await page.getByRole('button', { name: 'Read now' }).click();
    await expect.poll(() => page.getByTestId('metrics').textContent(), { timeout: 5000 }).toMatch(/on \d+ CPUs/);
    expect(await page.locator('.detail').textContent()).toContain(fleet.hostKeyFingerprint());
    await page.screenshot({ path: screenshotPath('node-metrics') });
  });
});
