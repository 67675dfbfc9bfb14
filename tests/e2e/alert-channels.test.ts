import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService } from '../helpers/service';
import { startHttpSink, type HttpSink } from '../helpers/alert-sinks';

// The settings dialog's alert channels in real Chromium against the headless service; receiver on 127.57.106.1.
let service: Awaited<ReturnType<typeof startTestService>>;
let sink: HttpSink;
let browser: Browser;
let page: Page;

describe.skipIf(chromiumMissing)('alert channels in the web UI', () => {
  beforeAll(async () => {
    sink = await startHttpSink('127.57.106.1');
    service = await startTestService({ ALERT_WEBHOOK_URL: `${sink.base}/env/secret0123456789` });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(service.loginUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await sink?.close();
  });

  it('lists the environment channel redacted, adds an ntfy channel and sends it a test', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const panel = page.getByTestId('alert-channels');
    await expect.poll(() => panel.textContent(), { timeout: 5000 }).toContain(`${sink.base}/env/***`);
    expect(await page.content()).not.toContain('secret0123456789');

    await panel.getByText('Add a channel').click();
    await panel.getByLabel('Type').selectOption('ntfy');
    await panel.getByLabel('Id').fill('phone');
    await panel.getByLabel('Topic URL').fill(`${sink.base}/mytopic42`);
    await panel.getByLabel('Tags (comma-separated)').fill('homelab');
    await panel.getByRole('button', { name: 'Add channel' }).click();
    await expect.poll(() => panel.textContent(), { timeout: 5000 }).toContain(`${sink.base}/***`);

    await panel.getByRole('button', { name: 'Send test' }).nth(1).click();
    await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('phone: delivered');
    expect(sink.received.map((r) => [r.path, r.headers.tags])).toEqual([['/mytopic42', 'test_tube,homelab']]);
    expect(service.core.alerts.list().channels.map((c) => c.channel.id)).toEqual(['env-1', 'phone']);
    await page.screenshot({ path: screenshotPath('settings-alert-channels') });
  });
});
