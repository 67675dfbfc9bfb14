import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
