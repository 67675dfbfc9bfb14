import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../helpers/browser';
import { startTestService, TEST_TOKEN } from '../helpers/service';

// Issue 32, finding 8: the web UI's token stays out of requests, history and caches. Service on 127.71.0.1.
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;

describe.skipIf(chromiumMissing)('the login URL', () => {
  beforeAll(async () => {
    service = await startTestService({ HOST: '127.71.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('carries the token in its fragment: no request sends it, the page is not stored, the address bar drops it', async () => {
    expect(service.loginUrl).toBe(`${service.url}/#token=${TEST_TOKEN}`);
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const response = await page.goto(service.loginUrl);
    expect(response!.headers()['cache-control']).toBe('no-store');
    await page.getByTestId('cluster-state').waitFor({ timeout: 10_000 });
    expect(requested.length).toBeGreaterThan(1);
    for (const url of requested) expect(url).not.toContain(TEST_TOKEN); // Chromium sends no fragment
    expect(page.url()).toBe(`${service.url}/`);
    await page.close();
  });

  it('still accepts the older ?token= link, and removes it from the address bar', async () => {
    const page = await browser.newPage();
    await page.goto(`${service.url}/?token=${TEST_TOKEN}`);
    await page.getByTestId('cluster-state').waitFor({ timeout: 10_000 });
    expect(page.url()).toBe(`${service.url}/`);
    await page.close();
  });
});
