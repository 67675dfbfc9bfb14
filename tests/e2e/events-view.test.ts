import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService } from '../helpers/service';

// Issue 40, item 6: the event log and the audit in the window, filtered by kind and node, live, in
// English and Korean. Headless service on 127.103.0.100; nothing listens on the nodes' addresses.
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;
const node = (id: string, ip: string) => ({ id, hostname: id, tailscale_ip: ip, role: 'worker' as const, cpu_cores: 2, memory_gb: 4, probes: [{ type: 'tcp' as const, port: 9 }] });

describe.skipIf(chromiumMissing)('the Events view', () => {
  beforeAll(async () => {
    service = await startTestService({ HOST: '127.103.0.100', TEST_TIMING: true, HEALTH_CHECK_INTERVAL: 0.3, HEALTH_CHECK_TIMEOUT: 0.25, FAILURE_THRESHOLD: 1, RECOVERY_THRESHOLD: 1 });
    service.core.registry.create(node('down-1', '127.103.0.1'));
    expect((await service.call('POST', '/cluster/tokens', { body: { name: 'bob', scope: 'viewer' } })).status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('shows what the monitor saw beside what people did, filters by kind and node, and takes new events as they happen', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
    page.setDefaultTimeout(8000);
    await page.goto(service.loginUrl);
    await expect.poll(() => page.locator('[data-node-id="down-1"]').getAttribute('data-state'), { timeout: 10_000 }).toBe('unhealthy');
    await page.getByRole('button', { name: 'Events', exact: true }).click();
    const view = page.getByTestId('events-view');
    const rows = view.locator('tbody tr');
    await expect.poll(() => rows.locator('td:nth-child(4)').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Unknown → Unhealthy: /), expect.stringMatching(/: create token bob \(viewer, tok_[^)]*\) \(ok\)$/)]),
    );
    expect(page.url()).toContain('view=events');

    await view.getByLabel('Kind', { exact: true }).selectOption('audit');
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind'))))).toEqual(new Set(['audit']));
    await view.getByLabel('Kind', { exact: true }).selectOption('');
    await view.getByLabel('Node', { exact: true }).selectOption('down-1');
    expect(await rows.locator('td:nth-child(3)').allTextContents()).toEqual(expect.arrayContaining(['down-1']));
    expect(new Set(await rows.locator('td:nth-child(3)').allTextContents())).toEqual(new Set(['down-1']));
    await view.getByLabel('Node', { exact: true }).selectOption('');

    // A new node goes down while the view is open: its change arrives without a reload.
    service.core.registry.create(node('down-2', '127.103.0.2'));
    await expect.poll(() => rows.locator('td:nth-child(3)').allTextContents(), { timeout: 10_000 }).toContain('down-2');
    await page.screenshot({ path: screenshotPath('events-view') });
    await page.close();
  });

  it('speaks Korean, and fits a phone', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ko-KR' })).newPage();
    await page.goto(`${service.url}/?view=events#token=${service.config.API_TOKEN}`);
    const view = page.getByTestId('events-view');
    await expect.poll(() => view.locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    expect(await page.getByRole('button', { name: '이벤트', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await view.locator('select').first().locator('option').allTextContents()).toContain('상태 변화');
    // The reasons too, by their codes (the service writes them in English).
    const texts = await view.locator('tbody td:nth-child(4)').allTextContents();
    expect(texts).toEqual(expect.arrayContaining([expect.stringMatching(/^알 수 없음 → 장애: tcp:\/\/127\.103\.0\.1:9이\(가\) 연결을 거부함$/)]));
    expect(texts.join('\n')).not.toMatch(/connection refused|first check passed/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await page.screenshot({ path: screenshotPath('events-view-ko-390') });
    // A node's last error, in the detail and the row's tooltip, by its code too.
    await page.getByRole('button', { name: '노드', exact: true }).click();
    await page.locator('[data-node-id="down-1"]').click();
    expect(await page.locator('aside.detail p.error').first().textContent()).toBe('tcp://127.103.0.1:9이(가) 연결을 거부함');
    expect(await page.locator('[data-node-id="down-1"] .c-state').getAttribute('title')).toBe('tcp://127.103.0.1:9이(가) 연결을 거부함');
    await page.close();
  });
});
