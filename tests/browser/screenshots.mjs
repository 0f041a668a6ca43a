// screenshots.mjs - docs/review-grid.png and docs/review-detail.png: `vigil review`
// on the demo case as an examiner first sees it (previews blurred), 1280x800.
// Usage: node tests/browser/screenshots.mjs path/to/vigil [OUTDIR (default docs)]
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { launch } from './chromium.mjs';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const vigil = path.resolve(process.argv[2] || path.join(top, 'build', 'src', 'vigil'));
const out = path.resolve(process.argv[3] || path.join(top, 'docs'));
// a fixed place, so that the case path in the header is the same every time
const tmp = path.join(os.tmpdir(), 'vigil-review-demo');
fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(tmp);

// scripts/demo works next to the vigil it is given: a link keeps it in tmp.
fs.mkdirSync(path.join(tmp, 'bin'));
fs.symlinkSync(vigil, path.join(tmp, 'bin', 'vigil'));
execFileSync(path.join(top, 'scripts', 'demo'), [path.join(tmp, 'bin', 'vigil')], { stdio: 'ignore' });
const kase = path.join(tmp, 'bin', 'demo', 'demo.case');

const server = spawn(vigil, ['review', kase, '--examiner', 'examiner'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  readline.createInterface({ input: server.stdout }).on('line', l => {
    const m = /open (http:\/\/\S+)$/.exec(l);
    if (m) resolve(m[1]);
  });
  server.on('exit', c => reject(new Error(`vigil review exited ${c}`)));
});

const browser = await launch(path.join(tmp, 'profile'));
try {
  const page = browser.pages()[0] || await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(out, 'review-grid.png') });
  // the detail of a picture found inside a zip inside a zip, in a cluster
  const id = await page.evaluate(async () =>
    (await (await fetch('/api/items?q=inner.zip!/garden&section=all')).json()).items[0].id);
  await page.locator(`[data-testid="tile"][data-id="${id}"]`).click();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="detail"] [data-testid="hash-sha1"]').waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(out, 'review-detail.png') });
  console.log(`wrote ${path.join(out, 'review-grid.png')} and ${path.join(out, 'review-detail.png')}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
