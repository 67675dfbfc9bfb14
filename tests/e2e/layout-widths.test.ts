import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';
import { en } from '../../src/shared/i18n/en';
import { ko } from '../../src/shared/i18n/ko';
import { brokenOverLines, chromiumMissing, cuts, englishSentences, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService } from '../helpers/service';

// Issue 40, items 1-3: the window on a phone (390×844) and a laptop (1280×800, a node's detail open),
// in English and Korean. Real Chromium against the headless service; 17 simulated nodes on 127.101.0.x.
const IPS = Array.from({ length: 17 }, (_, i) => `127.101.0.${i + 1}`);
const IDS = IPS.map((_, i) => (i === 16 ? 'db-primary-eu-1' : `node-${String(i + 1).padStart(2, '0')}`));
const sim = new FleetSimulator(IPS.map((ip, i) => ({ ip, http_port: 8080, behaviour: i === 6 ? ('refusing' as const) : ('healthy' as const) })));
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;

/** On screen and the topmost thing where a person would tap it. */
async function tappable(page: Page, selector: ReturnType<Page['locator']>): Promise<boolean> {
  if (!(await selector.isVisible())) return false;
  return selector.evaluate((el) => {
    const box = el.getBoundingClientRect();
    if (box.left < 0 || box.top < 0 || box.right > window.innerWidth || box.bottom > window.innerHeight) return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
}

/** A header action, from the header or its menu; leaves the menu open when it had to open it. */
async function headerAction(page: Page, name: string) {
  const button = page.locator('header .actions button', { hasText: name }).first();
  if (!(await button.isVisible())) await page.locator('header .menu-toggle').click();
  expect(await tappable(page, button), `${name} reachable`).toBe(true);
  return button;
}

/** Opens a dialog, checks its buttons are on screen, and closes it. */
async function dialogFits(page: Page, open: () => Promise<void>, what: string, check?: () => Promise<void>) {
  await open();
  const buttons = page.locator('.dialog-body .buttons button');
  await expect.poll(() => buttons.count(), { message: `${what} opened` }).toBeGreaterThan(0);
  for (const button of await buttons.all()) expect(await tappable(page, button), `${what}: "${await button.textContent()}" on screen`).toBe(true);
  expect(await brokenOverLines(page, '.dialog-body .buttons button'), `${what}: button labels on one line`).toEqual([]);
  const fits = await page.locator('.dialog-body').evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight && el.getBoundingClientRect().right <= window.innerWidth);
  expect(fits, `${what} inside the window`).toBe(true);
  await check?.();
  await page.screenshot({ path: screenshotPath(`layout-${what}`) });
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('.dialog').count()).toBe(0);
}

describe.skipIf(chromiumMissing)('the window at every width, in both languages', () => {
  beforeAll(async () => {
    await sim.start();
    service = await startTestService({ HOST: '127.101.0.100', TEST_TIMING: true, HEALTH_CHECK_INTERVAL: 0.5, HEALTH_CHECK_TIMEOUT: 0.4, FAILURE_THRESHOLD: 1, RECOVERY_THRESHOLD: 1 });
    IPS.forEach((ip, i) =>
      service.core.registry.create({ id: IDS[i], hostname: `${IDS[i]}.tail-net.ts.net`, tailscale_ip: ip, role: i === 0 ? 'master' : 'worker', cpu_cores: 8, memory_gb: 32, tags: ['production', 'compute'], probes: [{ type: 'http', port: 8080 }] }),
    );
    // Muted nodes carry a mark beside their id: a short id keeps both, the longest keeps its id whole.
    service.core.muteNode('node-02', 8, 'test');
    service.core.muteNode('db-primary-eu-1', 8, 'test');
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await sim.stop();
  });

  for (const [language, t] of [['en-US', en], ['ko-KR', ko]] as const) {
    for (const [width, height] of [[390, 844], [1280, 800]] as const) {
      it(`${language} at ${width}×${height}: nothing cut or off screen, every action reachable, every dialog's buttons in view`, async () => {
        const context = await browser.newContext({ viewport: { width, height }, locale: language });
        const page = await context.newPage();
        await page.goto(service.loginUrl);
        await expect.poll(() => page.locator('[data-node-id="node-07"]').getAttribute('data-state'), { timeout: 10_000 }).toBe('unhealthy');
        const tag = `${language}-${width}`;
        expect(await cuts(page)).toEqual([]);
        // A muted mark is shown whole beside its id where the table has room (a laptop), else left out: never cut, never cutting the id.
        const mark = page.locator('[data-node-id="node-02"] [data-testid="muted-mark"]');
        const shownWhole = await mark.evaluate((m) => (m.getBoundingClientRect().width > 0 ? m.scrollWidth <= m.clientWidth && m.getBoundingClientRect().right <= m.parentElement!.getBoundingClientRect().right : null));
        expect(shownWhole, 'the muted mark').toBe(width >= 1280 ? true : shownWhole === null ? null : true);
        // The id, state and the address (or, on a phone, the latency) of every row in view, whole.
        const shown = await page.locator('.row.head .cell').evaluateAll((cells) => cells.filter((c) => c.getBoundingClientRect().width > 0).map((c) => c.className.replace('cell c-', '')));
        expect(shown).toEqual(expect.arrayContaining(['id', 'state', 'latency']));
        if (width >= 1280) expect(shown).toContain('tailscale_ip');
        await page.screenshot({ path: screenshotPath(`layout-${tag}`) });

        // A node's detail: the table beside it (or under it, on a phone) keeps its whole cells; the header stays reachable.
        await page.locator('[data-node-id="db-primary-eu-1"]').click();
        await expect.poll(() => page.locator('aside.detail').count()).toBe(1);
        expect(await cuts(page)).toEqual([]);
        // A node checked for seconds says so, not "24 h 100 % · 7 d 100 % · 30 d 100 %" (item 9).
        await expect.poll(() => page.getByTestId('detail-uptime').textContent()).toContain(language === 'en-US' ? 'over 1 min' : '(1분 동안)');
        if (width >= 1280) {
          const withDetail = await page.locator('.row.head .cell').evaluateAll((cells) => cells.filter((c) => c.getBoundingClientRect().width > 0).map((c) => c.className.replace('cell c-', '')));
          expect(withDetail).toEqual(expect.arrayContaining(['id', 'tailscale_ip', 'state']));
        }
        await page.screenshot({ path: screenshotPath(`layout-${tag}-detail`) });
        for (const name of [t.header.checkNow, t.header.pause, t.header.add, t.header.importExport, t.header.settings]) {
          await headerAction(page, name);
          await page.keyboard.press('Escape');
        }
        if (await page.locator('aside.detail').count()) await page.locator('aside.detail .detail-head button').first().click();

        if (language === 'ko-KR') {
          // The main screen, a failing node's detail and an empty form's errors say nothing in English.
          expect(await englishSentences(page), 'main screen').toEqual([]);
          await page.locator('[data-node-id="node-07"]').click();
          await expect.poll(() => page.locator('aside.detail p.error').count()).toBeGreaterThan(0);
          expect(await englishSentences(page), 'node detail').toEqual([]);
          await (await headerAction(page, t.header.add)).click();
          await page.locator('form.node-form button[type=submit]').click();
          await expect.poll(() => page.locator('form.node-form [role=alert]').count()).toBeGreaterThan(0);
          expect(await englishSentences(page), 'add-node errors').toEqual([]);
          await page.keyboard.press('Escape');
          // The settings' errors too, shown as the field is left.
          await (await headerAction(page, t.header.settings)).click();
          const interval = page.locator('#s-interval_s');
          await expect.poll(() => interval.inputValue()).not.toBe('');
          await interval.fill('abc');
          await interval.blur();
          await expect.poll(() => page.locator('.dialog [data-field="interval_s"]').count()).toBe(1);
          expect(await englishSentences(page), 'settings errors').toEqual([]);
          await page.keyboard.press('Escape');
          // And the Events tab: state changes and the monitor's own start, by their codes.
          await page.getByRole('button', { name: t.header.events, exact: true }).click();
          await expect.poll(() => page.locator('[data-testid="events-view"] tbody tr').count()).toBeGreaterThan(1);
          expect(await englishSentences(page), 'events').toEqual([]);
          expect(await brokenOverLines(page, '[data-testid="events-view"] .node-id'), 'node ids in the events').toEqual([]);
          // The Services tab: without Docker, a way to start; with a Docker that is not there, why (the service's reason, worded here).
          await page.getByRole('button', { name: t.header.services, exact: true }).click();
          await page.getByTestId('no-docker').waitFor();
          expect(await englishSentences(page), 'services without docker').toEqual([]);
          service.core.registry.update('node-01', { docker: { enabled: true, via: 'local', host: 'unix:///nonexistent/docker.sock' } });
          await page.getByRole('button', { name: t.containers.refresh, exact: true }).click();
          await page.getByTestId('services-error').waitFor();
          expect(await englishSentences(page), 'services error').toEqual([]);
          service.core.registry.update('node-01', { docker: { enabled: false, via: 'local' } });
          await page.getByRole('button', { name: t.header.nodes, exact: true }).click();
          await page.locator('aside.detail .detail-head button').first().click();
        }
        await dialogFits(page, async () => (await headerAction(page, t.header.add)).click(), `${tag}-add-node`);
        await dialogFits(page, async () => (await headerAction(page, t.header.importExport)).click(), `${tag}-import-export`);
        // A browser has no native notifications: the settings say what is true here (item 8).
        await dialogFits(page, async () => (await headerAction(page, t.header.settings)).click(), `${tag}-settings`, async () =>
          expect(await page.getByTestId('no-channels').textContent()).toBe(t.alerts.noneBrowser),
        );
        // Who a command runs on, whole: no column scrolled out of view, no id broken over two lines.
        await dialogFits(page, () => page.locator('.filters button', { hasText: t.filters.run.split('{{')[0] || t.filters.run.split('}}').at(-1)!.trim() }).click(), `${tag}-run-command`, async () => {
          await expect.poll(() => page.locator('.command-targets tbody tr').count()).toBeGreaterThan(0);
          expect(await page.locator('.command-targets-scroll').evaluate((scroll) => scroll.scrollWidth > scroll.clientWidth), 'targets scrolled sideways').toBe(false);
          expect(await brokenOverLines(page, '.command-targets tbody td:first-child')).toEqual([]);
        });
        await context.close();
      }, 60_000);
    }
  }
});
