import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FleetSimulator } from '../../src/core/simulator/fleet-simulator';
import { chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';
import { startTestService, TEST_TOKEN } from '../helpers/service';

// Issue 17: the dashboard shows the truth at a glance (times that tick and go stale, paused as its own
// state, a refused token, problems first, empty filter results, modals, narrow windows) and follows the
// browser's language. Real Chromium against the headless service; simulated nodes on 127.60.0.x.
const IPS = [1, 2, 3, 4].map((i) => `127.60.0.${i}`);
const sim = new FleetSimulator(IPS.map((ip, i) => ({ ip, http_port: 8080, behaviour: i === 3 ? ('refusing' as const) : ('healthy' as const) })));
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const rowIds = (p: Page) => p.locator('[role="row"][data-node-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node-id')));
/** The heartbeat strip as drawn, read back from its two SVG paths: '1' passed, '0' failed, oldest first. */
const drawnStrip = (p: Page, id: string) =>
  p.locator(`[data-node-id="${id}"] .heartbeat .bars`).evaluate((svg) => {
    const bars: string[] = [];
    for (const [cls, mark] of [['ok', '1'], ['fail', '0']]) {
      for (const m of (svg.querySelector(`.${cls}`)?.getAttribute('d') ?? '').matchAll(/M(\d+) /g)) bars[Number(m[1]) / 4] = mark;
    }
    return bars.join('');
  });
const favicon = (p: Page) => p.locator('link[rel="icon"]').getAttribute('data-colour');

describe.skipIf(chromiumMissing)('the dashboard tells the truth', () => {
  beforeAll(async () => {
    await sim.start();
    service = await startTestService({ HOST: '127.60.0.100', TEST_TIMING: true, HEALTH_CHECK_INTERVAL: 0.3, HEALTH_CHECK_TIMEOUT: 0.25, FAILURE_THRESHOLD: 1, RECOVERY_THRESHOLD: 1 });
    IPS.forEach((ip, i) =>
      service.core.registry.create({ id: `sim-${i + 1}`, hostname: `sim-${i + 1}.tail-net.ts.net`, tailscale_ip: ip, role: i === 0 ? 'master' : 'worker', cpu_cores: 2, memory_gb: 4, tags: i === 2 ? ['gpu', 'rack-7'] : ['rack-1'], probes: [{ type: 'http', port: 8080 }] }),
    );
    service.core.registry.create({ id: 'maint-1', hostname: 'maint-1', tailscale_ip: '127.60.0.5', role: 'worker', cpu_cores: 2, memory_gb: 4, probes: [{ type: 'http', port: 8080 }] });
    service.core.registry.update('maint-1', { maintenance: true });
    service.core.registry.update('sim-2', { muted_until: new Date(Date.now() + 3_600_000).toISOString() });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 820 }, locale: 'en-US' });
    page = await context.newPage();
    await page.goto(service.loginUrl);
    await page.locator('[data-node-id="sim-4"][data-state="unhealthy"]').waitFor({ timeout: 5000 });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await sim.stop();
  });

  it('puts problems first, and carries the state in the title and the favicon (item 4)', async () => {
    await expect.poll(() => rowIds(page), { timeout: 5000 }).toEqual(['sim-4', 'maint-1', 'sim-1', 'sim-2', 'sim-3']);
    await expect.poll(() => page.title()).toBe('(1 down) MCP Cloud Orchestrator');
    // One worker down of four: the cluster is degraded, and the favicon is amber.
    expect(service.core.monitor.status().state).toBe('degraded');
    expect(await favicon(page)).toBe('#d99a00');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,.*%23d99a00/);
    await sim.set(IPS[3], 'healthy');
    await expect.poll(() => page.title(), { timeout: 5000 }).toBe('MCP Cloud Orchestrator');
    expect(await favicon(page)).toBe('#2e9d4f');
    await sim.set(IPS[3], 'refusing');
    await expect.poll(() => page.title(), { timeout: 5000 }).toBe('(1 down) MCP Cloud Orchestrator');
    // The heartbeat strip draws what the monitor holds, failures included (it arrives as health columns).
    await expect.poll(async () => [await drawnStrip(page, 'sim-4'), service.core.monitor.healthOf('sim-4').recent], { timeout: 5000 }).toSatisfy(([drawn, held]) => drawn === held && /1/.test(drawn!) && /0/.test(drawn!));
    await page.screenshot({ path: screenshotPath('truth-problems-first') });
  });

  it('marks maintenance and muted nodes (item 5)', async () => {
    const maint = page.locator('[data-node-id="maint-1"]');
    expect(await maint.locator('.c-latency').textContent()).toBe('—');
    expect(await maint.locator('.heartbeat').count()).toBe(0);
    expect(await maint.getByTestId('maintenance-since').textContent()).toMatch(/^in maintenance since /);
    expect(await page.locator('[data-node-id="sim-2"]').getByTestId('muted-mark').getAttribute('title')).toMatch(/^Muted until /);
    expect(await page.locator('[data-node-id="sim-1"]').getByTestId('muted-mark').count()).toBe(0);
  });

  it('shows paused as its own state, freezes the rows, and lets the times tick and go stale (items 1, 2)', async () => {
    const sweep = page.getByTestId('last-sweep');
    expect(await sweep.getAttribute('data-stale')).toBe('false');
    await page.getByRole('button', { name: 'Pause 1 h' }).click();
    const pill = page.getByTestId('cluster-state');
    await expect.poll(() => pill.getAttribute('data-state')).toBe('paused');
    const until = service.core.monitor.status().monitor.paused_until!;
    const hhmm = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit' }).format(new Date(until));
    expect(await pill.textContent()).toBe(`Paused until ${hhmm}`);
    expect(await page.title()).toBe(`(paused until ${hhmm}) MCP Cloud Orchestrator`);
    expect(await favicon(page)).toBe('#8a9099');
    expect(await page.getByTestId('node-table').getAttribute('data-frozen')).toBe('true');
    expect(await page.locator('[data-node-id="sim-1"]').getAttribute('data-frozen')).toBe('true');
    expect(await page.getByTestId('frozen-note').textContent()).toContain('monitoring is paused');
    // No sweep runs now; the age keeps counting and goes stale after two intervals (0.6 s).
    const first = await sweep.textContent();
    await expect.poll(() => sweep.getAttribute('data-stale'), { timeout: 3000 }).toBe('true');
    await expect.poll(() => sweep.textContent(), { timeout: 3000 }).not.toBe(first);
    expect(await sweep.textContent()).toMatch(/ago.*stale$/);
    const rowAge = page.locator('[data-node-id="sim-1"] .c-checked .ago');
    const rowFirst = await rowAge.textContent();
    await expect.poll(() => rowAge.textContent(), { timeout: 3000 }).not.toBe(rowFirst);
    expect(await rowAge.getAttribute('data-stale')).toBe('true');
    await page.screenshot({ path: screenshotPath('truth-paused-frozen-stale') });
    await page.getByRole('button', { name: 'Resume monitoring' }).click();
    await expect.poll(() => pill.getAttribute('data-state'), { timeout: 5000 }).not.toBe('paused');
    await expect.poll(() => sweep.getAttribute('data-stale'), { timeout: 5000 }).toBe('false');
    expect(await page.getByTestId('node-table').getAttribute('data-frozen')).toBe('false');
  });

  it('says when no node matches, offers to clear the filters, and keeps filters and sort in the URL (item 6)', async () => {
    const search = page.getByRole('searchbox');
    await search.fill('sim 4');
    await expect.poll(() => rowIds(page)).toEqual(['sim-4']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('sim 4');
    await search.fill('tail-net sim-3');
    await expect.poll(() => rowIds(page)).toEqual(['sim-3']);
    await search.fill('sim-3 nowhere');
    await expect.poll(() => page.getByTestId('no-match').textContent()).toContain('No node matches');
    expect(await page.getByRole('button', { name: 'Run command on 0' }).isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('truth-no-match') });
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rowIds(page)).toHaveLength(5);
    expect(await search.inputValue()).toBe('');
    expect(new URL(page.url()).search).toBe('');

    const tag = page.getByLabel('Tag');
    expect(await page.locator('#tag-suggestions option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(['gpu', 'rack-1', 'rack-7']);
    await tag.fill('GPU');
    await expect.poll(() => rowIds(page)).toEqual(['sim-3']);
    await page.getByRole('button', { name: /^Latency/ }).click();
    expect(new URL(page.url()).searchParams.get('sort')).toBe('latency');
    expect(new URL(page.url()).searchParams.get('tag')).toBe('GPU');
    await page.reload();
    await expect.poll(() => rowIds(page)).toEqual(['sim-3']);
    expect(await page.getByLabel('Tag').inputValue()).toBe('GPU');
    expect(await page.locator('[role="columnheader"].c-latency').getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: 'Clear filters' }).count(); // not shown: there is a match
    await page.getByLabel('Tag').fill('');
    await page.getByRole('button', { name: /^State/ }).click(); // back to problems first (the default)
    await expect.poll(() => new URL(page.url()).search).toBe('');
  });

  it('traps focus in a modal, closes on Escape or an untouched backdrop, and gives focus back (item 12)', async () => {
    const opener = page.getByRole('button', { name: 'Settings' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.poll(() => dialog.count()).toBe(1);
    await expect.poll(() => page.evaluate(() => document.querySelector('[role="dialog"]')!.contains(document.activeElement))).toBe(true);
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press(i % 7 === 6 ? 'Shift+Tab' : 'Tab');
      expect(await page.evaluate(() => document.querySelector('[role="dialog"]')!.contains(document.activeElement)), `tab ${i}`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Settings');

    await opener.click();
    await page.getByTestId('modal-backdrop').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => dialog.count()).toBe(0);

    await opener.click();
    await page.getByLabel('Check interval (s)').fill('abc');
    await page.getByTestId('modal-backdrop').click({ position: { x: 5, y: 5 } });
    expect(await dialog.count()).toBe(1); // something was typed: a stray click does not throw it away
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByRole('alert').allTextContents()).toEqual(['Interval must be a number of seconds']);
    await page.getByLabel('Check interval (s)').fill('0.3');
    await page.getByLabel('Probe timeout (s)').fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').allTextContents())
      .toEqual(['Timeout must not be longer than the interval (0.3 s): a probe would still be running when the next sweep starts']);
    await page.screenshot({ path: screenshotPath('truth-settings-errors') });
    await page.getByLabel('Probe timeout (s)').focus();
    await page.keyboard.press('Escape'); // from inside a field
    await expect.poll(() => dialog.count()).toBe(0);
    expect(service.core.monitor.settings.timeout_s).toBe(0.25);

    // A disabled button looks disabled.
    const run = page.getByRole('button', { name: /^Run command on/ });
    await page.getByRole('searchbox').fill('nothing-matches-this');
    expect(Number(await run.evaluate((b) => getComputedStyle(b).opacity))).toBeLessThan(0.6);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    expect(Number(await run.evaluate((b) => getComputedStyle(b).opacity))).toBe(1);
  });

  it('fits an 800×600 window: one-line header, fewer columns, full text on hover, detail beside a narrower table (item 13; issue 40)', async () => {
    const small = await context.newPage();
    await small.setViewportSize({ width: 800, height: 600 });
    await small.goto(service.loginUrl); // a new tab: sessionStorage (and the token in it) is per tab
    await expect.poll(() => rowIds(small), { timeout: 5000 }).toHaveLength(5);
    const header = await small.locator('header.header').boundingBox();
    expect(header!.height).toBeLessThan(70);
    const tops = await small.locator('header.header button').evaluateAll((bs) => bs.filter((b) => b.getClientRects().length > 0).map((b) => Math.round(b.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    const sweep = await small.getByTestId('last-sweep').boundingBox(); // the last sweep's age stays in view
    const counts = await small.locator('header .counts').boundingBox();
    expect(sweep!.x + sweep!.width).toBeLessThanOrEqual(counts!.x + counts!.width + 1);
    const overflow = await small.locator('header.header .actions').evaluate((el) => el.getBoundingClientRect().right);
    expect(overflow).toBeLessThanOrEqual(800);
    expect(await small.locator('[data-node-id="sim-3"] .c-tags').isVisible()).toBe(false); // the lowest-value column goes first
    expect(await small.locator('[data-node-id="sim-3"] .c-tailscale_ip').isVisible()).toBe(true);
    expect(await small.locator('[data-node-id="sim-3"] .c-hostname').getAttribute('title')).toBe('sim-3.tail-net.ts.net');
    await small.screenshot({ path: screenshotPath('truth-800x600') });
    await small.locator('[data-node-id="sim-3"]').click();
    const detail = small.locator('.detail');
    await expect.poll(() => detail.count()).toBe(1);
    // Beside the table, under the header (whose actions stay reachable); the table keeps id, address and state.
    expect(await detail.evaluate((el) => getComputedStyle(el).position)).toBe('static');
    for (const column of ['c-id', 'c-tailscale_ip', 'c-state']) expect(await small.locator(`[data-node-id="sim-3"] .${column}`).isVisible()).toBe(true);
    expect(await small.locator('[data-node-id="sim-3"] .c-hostname').isVisible()).toBe(false);
    await small.screenshot({ path: screenshotPath('truth-800x600-detail') });
    await small.keyboard.press('Escape');
    await small.close();
  });

  it('says a refused token was refused and takes a pasted one; a URL without a token leads to the same field (item 3)', async () => {
    const fresh = await browser.newContext({ locale: 'en-US' });
    const p = await fresh.newPage();
    await p.goto(`${service.url}/?token=stale-token-0000`);
    const screen = p.getByTestId('token-screen');
    await expect.poll(() => screen.getAttribute('data-reason'), { timeout: 5000 }).toBe('refused');
    expect(await p.getByRole('alert').textContent()).toBe('This token was refused');
    expect(await screen.textContent()).toContain('DATA_DIR/api-token');
    expect(await p.getByText('Loading…').count()).toBe(0);
    expect(await p.getByText(/reconnecting/).count()).toBe(0);
    await p.screenshot({ path: screenshotPath('truth-token-refused') });
    await p.getByLabel('API token').fill(TEST_TOKEN);
    await p.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => rowIds(p), { timeout: 5000 }).toHaveLength(5);
    await fresh.close();

    const bookmarked = await browser.newContext({ locale: 'en-US' });
    const b = await bookmarked.newPage();
    await b.goto(`${service.url}/?state=unhealthy`);
    await expect.poll(() => b.getByTestId('token-screen').getAttribute('data-reason')).toBe('missing');
    await b.getByLabel('API token').fill(TEST_TOKEN);
    await b.keyboard.press('Enter');
    await expect.poll(() => rowIds(b), { timeout: 5000 }).toEqual(['sim-4']); // the bookmarked filter survives
    await bookmarked.close();
  });

  it('follows a Korean browser: window text, numbers and times (item 19)', async () => {
    const ko = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1400, height: 820 } });
    const p = await ko.newPage();
    await p.goto(service.loginUrl);
    await expect.poll(() => rowIds(p), { timeout: 5000 }).toHaveLength(5);
    expect(await p.evaluate(() => document.documentElement.lang)).toBe('ko');
    await expect.poll(() => p.title()).toBe('(1대 장애) MCP Cloud Orchestrator');
    expect(await p.getByRole('button', { name: '지금 점검' }).count()).toBe(1);
    expect(await p.getByRole('button', { name: '노드 추가' }).count()).toBe(1);
    expect(await p.locator('[data-node-id="sim-4"] .c-state').textContent()).toContain('장애');
    expect(await p.locator('[data-node-id="maint-1"]').getByTestId('maintenance-since').textContent()).toMatch(/부터 점검 중$/);
    expect(await p.getByRole('grid').getAttribute('aria-label')).toBe('노드');
    await p.getByRole('button', { name: '1시간 일시 중지' }).click();
    await expect.poll(() => p.getByTestId('cluster-state').textContent()).toMatch(/^(오전|오후) \d{2}:\d{2}까지 일시 중지$/);
    await p.screenshot({ path: screenshotPath('truth-ko-KR-paused') });
    await p.getByRole('button', { name: '모니터링 재개' }).click();
    await expect.poll(() => p.getByTestId('cluster-state').getAttribute('data-state'), { timeout: 5000 }).not.toBe('paused');
    await p.getByRole('button', { name: '설정' }).click();
    await p.getByLabel('확인 주기 (초)').fill('x');
    await p.getByRole('button', { name: '저장' }).click();
    await expect.poll(() => p.getByRole('dialog').getByRole('alert').allTextContents()).toEqual(['확인 주기: 초 단위 숫자를 입력하세요']);
    await p.screenshot({ path: screenshotPath('truth-ko-KR-settings') });
    await ko.close();
  });
});
