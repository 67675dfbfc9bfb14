import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumMissing = fs.existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM}; run scripts/install-system-deps.sh`;
if (chromiumMissing) {
  // In CI the browser is installed by .ci/run, so a missing one is a failure there, not a skip.
  if (process.env.CI) throw new Error(chromiumMissing);
  console.warn(`[skip] browser tests: ${chromiumMissing}`);
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');
export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

/** Elements cut at their right edge or spilling out of the page, as the page lays them out now. */
export async function cuts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`page ${root.scrollWidth} px wide in ${root.clientWidth}`);
    const body = document.querySelector('.table .body')!.getBoundingClientRect();
    for (const cell of document.querySelectorAll<HTMLElement>('[data-node-id] .c-id, [data-node-id] .c-id .id-text, [data-node-id] .c-state, [data-node-id] .c-tailscale_ip, .row.head .cell')) {
      const box = cell.getBoundingClientRect();
      if (box.width === 0 || box.bottom > body.bottom || box.top < body.top - 40) continue; // hidden, or scrolled out
      if (cell.scrollWidth > cell.clientWidth + 1 || box.right > root.clientWidth) found.push(`${cell.closest('[data-node-id]')?.getAttribute('data-node-id') ?? 'heading'} ${cell.className}: "${cell.textContent}"`);
    }
    return found;
  });
}

/** Runs of three or more English words on the page or in its tooltips (issue 40, item 12): none in a Korean window. */
export function englishSentences(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = `${document.body.innerText}\n${[...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title')).join('\n')}`;
    return [...new Set(text.match(/[A-Za-z][a-z]+(?:[ ,]+[a-z]+){2,}/g) ?? [])];
  });
}

/** The texts of the elements matching `selector` that are laid out over more than one line. */
export function brokenOverLines(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
      })
      .map((element) => element.textContent ?? ''),
  );
}
