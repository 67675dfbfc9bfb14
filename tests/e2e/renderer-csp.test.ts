import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../helpers/browser';
import { startTestService } from '../helpers/service';

// The page's CSP (index.html, the same in the Electron window) forbids eval. zod's JIT would probe for
// it and Chromium would report a violation; the renderer runs zod jitless.
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;
let page: Page;

describe.skipIf(chromiumMissing)('renderer under its CSP', () => {
  beforeAll(async () => {
    service = await startTestService();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(service.loginUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('validates a form with zod and reports no CSP violation', async () => {
    await page.getByRole('button', { name: 'Add node' }).click();
    await page.locator('form').getByLabel('Tailscale IP').fill('300.1.2.3');
    await expect.poll(() => page.locator('form').getByText(/IPv4|IP address/i).count()).toBeGreaterThan(0); // the schema ran
    expect(await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp)).toEqual([]);
  });
});
