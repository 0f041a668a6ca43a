// review.test.mjs - `vigil review` in headless Chromium, against the demo case.
// Run by run.sh, which builds the case, starts the server and passes:
//   REVIEW_URL  the line vigil printed (http://127.0.0.1:PORT/?token=...)
//   CASE        the case file     VIGIL  the vigil binary     VG_TEST_TMP  scratch
// Fails fast: each step leaves the state the next one starts from.
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { launch } from './chromium.mjs';

const { REVIEW_URL, CASE, VIGIL, VG_TEST_TMP } = process.env;
const url = new URL(REVIEW_URL);
const base = url.origin;

// GET with full control of the headers (fetch will not send another Host).
function rawGet(p, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: p, headers }, res => {
      let body = '';
      res.on('data', d => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function exported(format) {
  return execFileSync(VIGIL, ['export', '--format', format, CASE], { encoding: 'utf8' });
}
const caseItems = () => exported('jsonl').trim().split('\n').map(l => JSON.parse(l));
const byPath = (items, p) => items.find(i => i.path.endsWith(p));

let n = 0;
async function step(name, fn) {
  const t0 = Date.now();
  await fn();
  console.log(`ok ${++n} - ${name} (${Date.now() - t0} ms)`);
}

const browser = await launch(path.join(VG_TEST_TMP, 'chromium-profile'));
const page = browser.pages()[0] || await browser.newPage();
const requests = [];
page.on('request', r => requests.push(r.url()));
const pageErrors = [];
page.on('pageerror', e => pageErrors.push(e.message));
page.on('console', m => { if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text()); });
page.setDefaultTimeout(30000);

const tile = id => page.locator(`[data-testid="tile"][data-id="${id}"]`);
const tileAttr = (id, a) => tile(id).getAttribute(a);
const revealRequests = () => requests.filter(u => /[?&]reveal=1/.test(u));
const api = p => page.evaluate(async q => {
  const r = await fetch(q);
  return { status: r.status, body: await r.json() };
}, p);
const waitAttr = (id, a, v) => page.waitForFunction(([i, at, val]) =>
  document.querySelector(`[data-testid="tile"][data-id="${i}"]`)?.getAttribute(at) === val, [id, a, v]);
// greyness of a loaded <img>: the largest |R-G|, |G-B| over its pixels
const colourSpread = loc => loc.evaluate(img => {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth;
  c.height = img.naturalHeight;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let m = 0;
  for (let i = 0; i < d.length; i += 4) m = Math.max(m, Math.abs(d[i] - d[i + 1]), Math.abs(d[i + 1] - d[i + 2]));
  return m;
});
const imgLoaded = loc => loc.evaluate(img => img.complete ? img.naturalWidth : new Promise(ok => {
  img.addEventListener('load', () => ok(img.naturalWidth));
  img.addEventListener('error', () => ok(0));
}));

try {
  const items = caseItems();
  const isImage = i => i.type !== 'unknown' && i.width > 0;
  const expectNew = items.filter(i => isImage(i) && i.status === 'ok' && !i.matches.length && !i.cluster)
    .sort((a, b) => a.evidence - b.evidence || a.seq - b.seq);
  assert.ok(expectNew.length >= 1, 'the demo case has new images');

  await step('without the token: 403 for the page, the API and a bad Host', async () => {
    const r = await page.goto(base + '/');
    assert.equal(r.status(), 403);
    assert.equal((await rawGet('/api/case')).status, 403);
    assert.match((await rawGet('/api/items')).body, /"error"/);
    assert.equal((await rawGet('/api/thumb/1')).status, 403);
    assert.equal((await rawGet('/?token=' + '0'.repeat(32))).status, 403, 'a wrong token');
    const evil = await rawGet(url.pathname + url.search, { Host: `evil.example:${url.port}` });
    assert.equal(evil.status, 403, 'a foreign Host header (DNS rebinding)');
  });

  await step('with the token the grid loads, new images first, in case order', async () => {
    const r = await page.goto(REVIEW_URL);
    assert.equal(r.status(), 200);
    assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar');
    await page.waitForSelector('body[data-ready="1"]');
    const tiles = await page.locator('[data-testid="tile"]').evaluateAll(ts =>
      ts.map(t => ({ id: +t.dataset.id, section: t.dataset.section, path: t.dataset.path })));
    assert.ok(tiles.length >= expectNew.length);
    const lead = tiles.slice(0, expectNew.length);
    assert.deepEqual(lead.map(t => t.section), expectNew.map(() => 'new'));
    assert.ok(tiles.slice(expectNew.length).every(t => t.section !== 'new'), 'no new image after the others');
    for (let i = 0; i < lead.length; i++) {
      const d = (await api(`/api/items/${lead[i].id}`)).body;
      assert.equal(d.seq, expectNew[i].seq, `tile ${i} is item seq ${expectNew[i].seq}`);
      assert.ok(expectNew[i].path.endsWith(lead[i].path), `${expectNew[i].path} ends with ${lead[i].path}`);
    }
    const heads = await page.locator('[data-testid="section-heading"]').evaluateAll(hs => hs.map(h => h.dataset.section));
    assert.deepEqual(heads, ['new', 'cluster', 'known'], 'sections in grid order');
    const newCount = await page.locator('[data-testid="section-heading"][data-section="new"] [data-testid="section-count"]').textContent();
    assert.equal(newCount, String(expectNew.length));
  });

  await step('the token works once', async () => {
    assert.equal((await rawGet(url.pathname + url.search)).status, 403);
  });

  await step('every preview is the blurred grey one; nothing clear was requested', async () => {
    const srcs = await page.locator('[data-testid="tile"] img').evaluateAll(is => is.map(i => i.getAttribute('src')));
    assert.ok(srcs.length >= 3, `previews shown: ${srcs.length}`);
    for (const s of srcs) assert.match(s, /^\/api\/thumb\/\d+$/);
    const flags = await page.locator('[data-testid="tile"]').evaluateAll(ts => ts.map(t => t.dataset.revealed));
    assert.ok(flags.every(f => f === '0'));
    for (const img of await page.locator('[data-testid="tile"] img').all()) {
      assert.ok(await imgLoaded(img) > 0, 'the preview loads');
      assert.ok(await colourSpread(img) <= 3, 'the preview is grey');
    }
    await page.locator('[data-testid="tile"] img').first().hover();
    await page.waitForTimeout(200);
    assert.deepEqual(revealRequests(), [], 'hovering reveals nothing');
  });

  const withThumb = await page.locator('[data-testid="tile"]:has(img)').evaluateAll(ts => ts.map(t => +t.dataset.id));
  const [a, b] = withThumb;

  await step('the reveal key shows the clear preview of the selected tile only', async () => {
    await tile(a).click();
    await page.keyboard.press('r');
    await waitAttr(a, 'data-revealed', '1');
    const img = tile(a).locator('img');
    assert.equal(await img.getAttribute('src'), `/api/thumb/${a}?reveal=1`);
    assert.ok(await imgLoaded(img) > 0);
    assert.ok(await colourSpread(img) > 20, 'the clear preview has colour');
    const shown = await page.locator('[data-testid="tile"][data-revealed="1"]').count();
    assert.equal(shown, 1);
    assert.deepEqual(revealRequests().map(u => new URL(u).pathname), [`/api/thumb/${a}`]);
    // another one: the first goes back to blurred
    await tile(b).locator('[data-testid="reveal"]').click();
    await waitAttr(b, 'data-revealed', '1');
    assert.equal(await tileAttr(a, 'data-revealed'), '0');
    assert.equal(await tile(a).locator('img').getAttribute('src'), `/api/thumb/${a}`);
    assert.equal(await page.locator('[data-testid="tile"][data-revealed="1"]').count(), 1);
    await page.keyboard.press('r');
    await waitAttr(b, 'data-revealed', '0');
    assert.equal(await page.locator('[data-testid="tile"][data-revealed="1"]').count(), 0);
  });

  const street = byPath(items, '/street.jpg');
  const streetId = await page.locator('[data-testid="tile"][data-path$="street.jpg"]').getAttribute('data-id');

  await step('a digit categorises the selected item and the case keeps it', async () => {
    await tile(streetId).click();
    await page.keyboard.press('1');
    await waitAttr(streetId, 'data-category', '1');
    assert.match(await tile(streetId).locator('[data-testid="category-badge"]').textContent(), /^1 /);
    assert.ok(await tile(streetId).locator('[data-testid="category-badge"]').isVisible());
    const rec = byPath(caseItems(), '/street.jpg');
    assert.equal(rec.sha1, street.sha1);
    assert.equal(rec.review?.category, '1', 'vigil export --format jsonl shows the review');
    assert.equal(rec.review.examiner, 'tester');
    const d = (await api(`/api/items/${streetId}`)).body;
    assert.equal(d.review.category, '1');
    assert.equal(d.review.examiner, 'tester');
  });

  await step('arrows move the selection; x clears the category', async () => {
    await tile(streetId).click();
    const selected = () => page.locator('[data-testid="tile"].selected').getAttribute('data-id');
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await selected(), streetId);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await selected(), streetId);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('[data-testid="tile"].selected').getAttribute('data-section'), 'cluster',
      'down from the new images goes to the clusters below');
    await page.keyboard.press('ArrowUp');
    assert.equal(await selected(), streetId);
    await page.keyboard.press('2');
    await waitAttr(streetId, 'data-category', '2');
    await page.keyboard.press('x');
    await waitAttr(streetId, 'data-category', '');
    assert.equal(byPath(caseItems(), '/street.jpg').review, undefined, 'cleared in the case');
    await page.keyboard.press('3');
    await waitAttr(streetId, 'data-category', '3');
  });

  await step('a failed save is shown and the tile keeps its category; so is the cluster key outside a cluster', async () => {
    await page.route('**/api/items/*/category', r => r.fulfill({
      status: 500, contentType: 'application/json', body: '{"error":"disk full (test)"}' }));
    await tile(streetId).click();
    await page.keyboard.press('4');
    const err = page.locator('[data-testid="error"]').last();
    await err.waitFor();
    assert.match(await err.textContent(), /disk full \(test\)/);
    assert.equal(await tileAttr(streetId, 'data-category'), '3');
    assert.equal(await tileAttr(streetId, 'data-error'), '1');
    await page.unroute('**/api/items/*/category');
    await err.locator('button').click();
    await page.keyboard.press('Shift+Digit1');
    assert.match(await page.locator('[data-testid="error"]').last().textContent(), /in no cluster/);
    assert.equal(await tileAttr(streetId, 'data-category'), '3');
    await page.locator('[data-testid="error"]').last().locator('button').click();
  });

  await step('Shift+digit categorises every member of a cluster', async () => {
    const rep = page.locator('[data-testid="tile"][data-section="cluster"][data-member="0"]').first();
    const mine = { id: await rep.getAttribute('data-id'), cluster: +(await rep.getAttribute('data-cluster')) };
    assert.ok(mine.cluster > 0);
    const listed = (await api(`/api/items?cluster=${mine.cluster}`)).body.items;
    await tile(mine.id).click();
    await page.keyboard.press('e');
    await page.locator(`[data-testid="cluster-members"][data-cluster="${mine.cluster}"]`).waitFor();
    assert.equal(await page.locator(`[data-testid="tile"][data-cluster="${mine.cluster}"]`).count(), listed.length);
    await tile(mine.id).click();
    await page.keyboard.press('Shift+Digit2');
    for (const m of listed) await waitAttr(m.id, 'data-category', '2');
    const after = (await api(`/api/items?cluster=${mine.cluster}`)).body.items;
    assert.ok(after.every(m => m.category === '2'));
    const sha1s = new Set();
    for (const m of after) sha1s.add((await api(`/api/items/${m.id}`)).body.sha1);
    const inCase = caseItems().filter(i => sha1s.has(i.sha1) && i.cluster);
    assert.ok(inCase.length >= after.length);
    assert.ok(inCase.every(i => i.review?.category === '2'), 'every member categorised in the case');
  });

  await step('categories survive a reload (same session)', async () => {
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    assert.equal(await tileAttr(streetId, 'data-category'), '3');
    assert.equal(await tile(streetId).locator('[data-testid="category-badge"]').isVisible(), true);
  });

  await step('the detail view shows hashes and the provenance chain', async () => {
    const garden = byPath(items, 'backup.zip!/inner.zip!/garden.png');
    const gid = (await api('/api/items?q=inner.zip!/garden&section=all')).body.items[0].id;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator(`[data-testid="tile"][data-id="${gid}"]`).first().click();
    await page.keyboard.press('Enter');
    const det = page.locator('[data-testid="detail"]');
    await det.locator('[data-testid="hash-sha1"]').waitFor();
    assert.equal(await det.locator('[data-testid="hash-md5"]').textContent(), garden.md5);
    assert.equal(await det.locator('[data-testid="hash-sha1"]').textContent(), garden.sha1);
    assert.equal(await det.locator('[data-testid="hash-sha256"]').textContent(), garden.sha256);
    const chain = await det.locator('[data-testid="detail-chain"] li').allTextContents();
    const tail = chain.slice(-3).map(c => c.replace(/^\u21b3 /, ''));
    ['backup.zip', 'inner.zip', 'garden.png'].forEach((nm, i) => assert.ok(tail[i].endsWith(nm), `${tail[i]} is ${nm}`));
    const rv = (await api(`/api/items/${gid}`)).body.review;
    assert.match(await det.locator('[data-testid="review-text"]').textContent(),
      rv ? new RegExp(`^${rv.category} .*by tester at `) : /^not categorised$/);
    assert.ok(await det.locator('[data-testid="detail-members"] li').count() >= 2, 'cluster members listed');
    assert.equal(await det.locator('[data-testid="detail-thumb"]').getAttribute('src'), `/api/thumb/${gid}`);
    await page.keyboard.press('Escape');
    await det.waitFor({ state: 'hidden' });
  });

  await step('? lists the keys of the scheme', async () => {
    await page.keyboard.press('?');
    const help = page.locator('[data-testid="help"]');
    await help.waitFor();
    assert.match(await help.textContent(), /Child Abuse Material/);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
  });

  await step('the clear-by-default setting is kept per examiner', async () => {
    const before = revealRequests().length;
    await page.locator('[data-testid="reveal-default"]').check();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="tile"]:has(img)')]
      .every(t => t.dataset.revealed === '1'));
    assert.equal(await page.evaluate(() => localStorage.getItem('vigil-review:reveal-default:tester')), '1');
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    assert.equal(await tileAttr(a, 'data-revealed'), '1');
    await page.locator('[data-testid="reveal-default"]').uncheck();
    await waitAttr(a, 'data-revealed', '0');
    assert.ok(revealRequests().length > before);
  });

  await step('with "next after categorising" a digit moves on', async () => {
    await page.locator('[data-testid="advance"]').check();
    await tile(streetId).click();
    await page.keyboard.press('3');
    const next = page.locator('[data-testid="tile"].selected');
    assert.notEqual(await next.getAttribute('data-id'), streetId);
    assert.equal(await tileAttr(streetId, 'data-category'), '3');
    await page.locator('[data-testid="advance"]').uncheck();
    await tile(streetId).click();
    await page.keyboard.press('3');
    assert.equal(await page.locator('[data-testid="tile"].selected').getAttribute('data-id'), streetId);
  });

  await step('the VICS export carries the categories', async () => {
    const media = JSON.parse(exported('vics')).value;
    const cat = sha1 => media.find(m => m.SHA1.toLowerCase() === sha1).Category;
    assert.equal(cat(street.sha1), 3, 'street.jpg: category 3 as set last');
    const garden = byPath(items, 'backup.zip!/inner.zip!/garden.png');
    assert.equal(cat(garden.sha1), 2, 'the cluster\'s category');
  });

  assert.deepEqual(pageErrors, [], 'no script errors or CSP violations in the page');
  console.log(`${n} passed, 0 failed`);
} catch (e) {
  console.error(`not ok ${n + 1}:`, e.stack || e);
  await page.screenshot({ path: path.join(VG_TEST_TMP, 'failure.png') }).catch(() => {});
  console.error(`screenshot: ${path.join(VG_TEST_TMP, 'failure.png')}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
