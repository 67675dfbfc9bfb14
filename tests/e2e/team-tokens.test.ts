import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { brokenOverLines, chromiumMissing, launchChromium, screenshotPath } from '../helpers/browser';
import { ko } from '../../src/shared/i18n/ko';
import { startTestService } from '../helpers/service';
import { nodeInput } from '../helpers/nodes';

// Issue 25: the window's Tokens panel (admin) and a viewer's window, in Chromium against the
// headless service. Service on 127.79.0.1; its node's probe goes to 127.79.1.1 (nothing listens).
let service: Awaited<ReturnType<typeof startTestService>>;
let browser: Browser;
let admin: Page;
let viewerSecret = '';

describe.skipIf(chromiumMissing)('team use in the web UI', () => {
  beforeAll(async () => {
    service = await startTestService({ HOST: '127.79.0.1' });
    service.core.registry.create(nodeInput('team-1', { tailscale_ip: '127.79.1.1', probes: [{ type: 'tcp', port: 9 }] }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('an admin creates a token in the Tokens panel: its secret is shown once, then only its name, scope and times', async () => {
    admin = await browser.newPage();
    await admin.goto(service.loginUrl);
    await admin.getByRole('button', { name: 'Settings' }).click();
    const panel = admin.getByTestId('tokens');
    await panel.getByLabel('Name').fill('alice');
    await panel.getByLabel('Scope').selectOption('viewer');
    await panel.getByLabel('Expires').selectOption('7');
    await panel.getByRole('button', { name: 'Create token' }).click();
    const secret = panel.getByLabel('The new token');
    await secret.waitFor();
    viewerSecret = await secret.inputValue();
    expect(viewerSecret).toMatch(/^mco_/);
    await admin.screenshot({ path: screenshotPath('tokens-created') });
    // A second token cannot take the first one's only showing (issue 40, item 7).
    const createButton = panel.getByRole('button', { name: 'Create token' });
    expect(await createButton.isDisabled()).toBe(true);
    expect(await createButton.getAttribute('title')).toBe('Copy and dismiss the token shown above first: it is shown only once.');
    await panel.getByRole('button', { name: 'I have copied it' }).click();
    expect(await panel.getByLabel('The new token').count()).toBe(0);
    const row = panel.locator('tr[data-token="alice"]');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Viewer/);
    expect(await panel.textContent()).not.toContain(viewerSecret);
    // A bad name is refused in the panel with the field named, and nothing is created.
    await panel.getByLabel('Name').fill('!bad');
    await panel.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/^Name: must be letters/);
    // An empty one gets one message for its one problem (item 14).
    await panel.getByLabel('Name').fill('');
    await panel.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toBe('Name: must not be empty');
    // A name the service refuses (taken) is said with the field's label too, not its JSON name.
    await panel.getByLabel('Name').fill('alice');
    await panel.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toBe('Name: already exists');
    expect(service.core.tokens.list().map((t) => t.name)).toEqual(['alice']);
  });

  it('on a phone in Korean the token list keeps its column names and buttons whole', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(service.loginUrl);
    await page.locator('header .menu-toggle').click();
    await page.getByRole('button', { name: ko.header.settings }).click();
    const panel = page.getByTestId('tokens');
    await panel.locator('tr[data-token="alice"]').waitFor();
    await panel.locator('tr[data-token="alice"]').scrollIntoViewIfNeeded();
    expect(await brokenOverLines(page, '.tokens-table th, .tokens-table td > button')).toEqual([]);
    // The panel stays inside the dialog (a fieldset grows to its widest content rather than wrap it).
    expect(await panel.evaluate((box) => box.getBoundingClientRect().right <= box.closest('.dialog-body')!.getBoundingClientRect().right)).toBe(true);
    await page.screenshot({ path: screenshotPath('tokens-ko-390') });
    await context.close();
  });

  it("a viewer's window reads everything and disables what its token cannot do, saying why", async () => {
    const viewer = await browser.newPage();
    await viewer.goto(`${service.url}/#token=${viewerSecret}`);
    await viewer.getByTestId('cluster-state').waitFor({ timeout: 10_000 });
    expect(await viewer.getByTestId('principal').textContent()).toBe('alice (Viewer)');
    for (const [name, need] of [['Check now', 'operator'], ['Pause 1 h', 'operator'], ['Add node', 'admin']] as const) {
      const button = viewer.getByRole('button', { name, exact: true }).first();
      expect(await button.isDisabled(), name).toBe(true);
      expect(await button.getAttribute('title'), name).toBe(`Your token "alice" has scope viewer; this needs ${need}.`);
    }
    await viewer.locator('[data-node-id="team-1"]').click();
    const detail = viewer.getByRole('complementary', { name: 'Node team-1' });
    await detail.waitFor();
    for (const name of ['Delete', 'Edit', 'Run command']) expect(await detail.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
    expect(await detail.getByLabel('Mute notifications').isDisabled()).toBe(true);
    await viewer.screenshot({ path: screenshotPath('viewer-window') });
    // Settings open to read, without the Tokens panel; the monitor's settings cannot be changed.
    await viewer.getByRole('button', { name: 'Settings' }).click();
    expect(await viewer.getByTestId('tokens').count()).toBe(0);
    const interval = viewer.getByLabel('Check interval (s)');
    await expect.poll(() => interval.inputValue()).toBe('3600');
    expect(await interval.isDisabled()).toBe(true);
    expect(await interval.getAttribute('title')).toBe('Your token "alice" has scope viewer; this needs admin.');

    // Revoked by the admin in the panel: the viewer's open window is refused at once.
    // It asks first, naming the token and what it can do (item 7); keeping it changes nothing.
    const tokensPanel = admin.getByTestId('tokens');
    await tokensPanel.locator('tr[data-token="alice"]').getByRole('button', { name: 'Revoke' }).click();
    expect(await tokensPanel.getByTestId('revoke-confirm').locator('p').textContent()).toBe('Revoke "alice" (Viewer: reads everything, changes nothing)? Whatever uses it is refused at once, its open connections closed.');
    await tokensPanel.getByRole('button', { name: 'Keep it' }).click();
    expect(await tokensPanel.getByTestId('revoke-confirm').count()).toBe(0);
    expect(service.core.tokens.list().map((t) => t.name)).toEqual(['alice']);
    await tokensPanel.locator('tr[data-token="alice"]').getByRole('button', { name: 'Revoke' }).click();
    await tokensPanel.getByTestId('revoke-confirm').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => admin.getByTestId('tokens').locator('tr[data-token="alice"]').count()).toBe(0);
    await viewer.locator('[data-testid="token-screen"][data-reason="refused"]').waitFor({ timeout: 5000 });
    const audit = service.core.ssh.audit.list(50).map((e) => `${e.actor} ${e.action} ${e.detail}`);
    expect(audit).toEqual(expect.arrayContaining([expect.stringMatching(/^web-ui:admin token token_create alice \(viewer, tok_/), expect.stringMatching(/^web-ui:admin token token_revoke alice/)]));
    await viewer.close();
  });
});
