// chromium.mjs - Debian's Chromium, headless, as the tests and screenshots use it:
// no sandbox (root in CI), no network of its own, a fresh profile in profileDir.
import { chromium } from 'playwright-core';

export function launch(profileDir) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
