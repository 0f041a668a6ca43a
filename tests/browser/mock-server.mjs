// mock-server.mjs - a stand-in for `vigil review` that serves lib/review/assets
// and canned JSON as docs/review.md describes the API, so the web UI can be worked on
// without a case. Not used by the tests against the real server.
// Usage: node mock-server.mjs [PORT]   (prints the same "open" line as vigil review)
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const assets = path.join(here, '..', '..', 'lib', 'review', 'assets');
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.json': 'application/json' };

const categories = [
  { code: '0', label: 'Non-Pertinent', key: '0' },
  { code: '1', label: 'Child Abuse Material - (CAM)', key: '1' },
  { code: '2', label: 'Child Exploitive (Non-CAM) Age Difficult', key: '2' },
  { code: '3', label: 'CGI/Animation - Child Exploitive', key: '3' },
  { code: '4', label: 'Comparison Images', key: '4' },
];

function item(id, section, p, extra = {}) {
  return { id, section, path: p, name: p.split(/[/!]/).pop(), file_type: 'jpeg', width: 640,
    height: 480, size: 10000 + id * 137, status: 'ok', flags: '', steg: 'clean', cluster: 0,
    cluster_size: 0, rep: false, category: null, match: null, thumb: true, ...extra };
}
const items = [];
for (let i = 1; i <= 230; i++)
  items.push(item(i, 'new', `phone/DCIM/IMG_${String(i).padStart(4, '0')}.jpg`,
    i % 17 === 0 ? { flags: 'deleted' } : i % 23 === 0 ? { steg: 'suspicious', file_type: 'png' } : {}));
for (let c = 1; c <= 3; c++)
  for (let m = 0; m < c + 1; m++)
    items.push(item(items.length + 1, 'cluster', `usb.img!/c${c}/copy${m}.jpg`,
      { cluster: c, cluster_size: c + 1, rep: m === 0, flags: m === 2 ? 'carved' : '' }));
for (let k = 0; k < 6; k++)
  items.push(item(items.length + 1, 'known', `phone/known${k}.jpg`, { match: { set: 'demo',
    kind: k % 2 ? 'pdq' : 'md5', distance: k % 2 ? 6 + k : 0, category: String(1 + (k % 3)),
    category_label: categories[1 + (k % 3)].label } }));
items.push(item(items.length + 1, 'other', 'phone/broken.jpg', { status: 'truncated', thumb: false }));
items.push(item(items.length + 1, 'other', 'phone/notes.txt', { file_type: 'unknown', width: 0, height: 0, thumb: false, steg: null }));
const reviews = new Map();

const order = { new: 0, cluster: 1, known: 2, other: 3 };
function list(q) {
  let r = items.slice();
  if (q.get('cluster')) r = r.filter(i => i.cluster === +q.get('cluster')).sort((a, b) => b.rep - a.rep);
  else {
    const s = q.get('section');
    const grid = !s && !q.get('errors') && !q.get('q');
    r = r.filter(i => (i.section !== 'cluster' || i.rep) &&
      (s && s !== 'all' ? i.section === s : !grid || i.section !== 'other'));
  }
  const f = (k, fn) => { if (q.get(k)) r = r.filter(i => fn(i, q.get(k))); };
  f('set', (i, v) => i.match && i.match.set === v);
  f('match_category', (i, v) => i.match && i.match.category === v);
  f('category', (i, v) => (v === 'none' ? i.category === null : i.category === v));
  f('steg', (i, v) => i.steg === v);
  f('flag', (i, v) => i.flags.split('|').includes(v));
  f('type', (i, v) => i.file_type === v);
  f('errors', i => i.status !== 'ok');
  f('q', (i, v) => i.path.toLowerCase().includes(v.toLowerCase()));
  if (!q.get('cluster')) r.sort((a, b) => order[a.section] - order[b.section] || a.id - b.id);
  const offset = +(q.get('offset') || 0), limit = Math.min(+(q.get('limit') || 200), 1000);
  return { total: r.length, offset, items: r.slice(offset, offset + limit) };
}

function detail(i) {
  const chain = i.path.split('!/').map((name, n) => ({ name, seq: i.id * 10 + n }));
  return { ...i, seq: i.id * 10 + chain.length - 1, sub: 0, evidence: '/evidence/' + chain[0].name,
    source: chain.length > 1 ? 'disk' : 'file', chain, offset: i.flags.includes('carved') ? 3145728 : null,
    mtime: '2024-01-02T03:04:05Z', atime: null, ctime: null, crtime: null,
    md5: crypto.createHash('md5').update(i.path).digest('hex'),
    sha1: crypto.createHash('sha1').update(i.path).digest('hex'),
    sha256: crypto.createHash('sha256').update(i.path).digest('hex'),
    pdq: crypto.createHash('sha256').update('pdq' + i.path).digest('hex'), pdq_quality: 100,
    error: i.status === 'ok' ? null : 'JPEG: Premature end of JPEG file',
    matches: i.match ? [{ ...i.match, labels: 'demo:thing' }] : [],
    exif: i.id % 2 ? { make: 'Canon', model: 'EOS 5D', datetime: '2023:07:01 10:00:00',
      gps: i.id % 4 === 1 ? { lat: 51.5007, lon: -0.1246 } : null } : null,
    thumb_distance: i.id === 3 ? 88 : 2, thumb_differs: i.id === 3,
    steg_reason: 'no detector over its threshold', steg_scores: { findings: 0, spa_max: 0.1 },
    members: i.cluster ? items.filter(m => m.cluster === i.cluster).map(m => ({ id: m.id, path: m.path })) : [],
    members_total: i.cluster_size,
    review: reviews.get(i.id) || null };
}

function thumb(id, reveal) {
  const hue = (id * 47) % 360;
  const fill = reveal ? `hsl(${hue},60%,55%)` : '#6b6b6b';
  const fg = reveal ? `hsl(${(hue + 180) % 360},60%,45%)` : '#7a7a7a';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120"><rect width="160" height="120" fill="${fill}"/>` +
    `<circle cx="${40 + (id * 13) % 80}" cy="60" r="30" fill="${fg}"/>${reveal ? `<text x="8" y="20" font-size="16">${id}</text>` : ''}</svg>`;
}

const token = crypto.randomBytes(16).toString('hex');
const sessions = new Set();
let spent = false;

function send(res, code, type, body, extra = {}) {
  res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer', ...extra });
  res.end(body);
}
const json = (res, code, obj) => send(res, code, 'application/json', JSON.stringify(obj));

function setCategory(ids, body, res, answer) {
  let c;
  try { c = JSON.parse(body).category; } catch { return json(res, 400, { error: 'bad JSON' }); }
  if (c !== null && !categories.some(k => k.code === c))
    return json(res, 400, { error: `unknown category "${c}" in scheme projectvic-us` });
  for (const id of ids) {
    items[id - 1].category = c;
    reviews.set(id, c === null ? null : { category: c, examiner: 'mock', time: new Date().toISOString().slice(0, 19) + 'Z' });
  }
  json(res, 200, answer);
}

function handle(req, res, body, port) {
  const u = new URL(req.url, 'http://x');
  const host = req.headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return json(res, 403, { error: 'bad host' });
  if (u.pathname === '/' && u.searchParams.get('token')) {
    if (u.searchParams.get('token') !== token || spent)
      return send(res, 403, 'text/html', '<p>This link was used already. Open the link vigil printed.</p>');
    const s = crypto.randomBytes(32).toString('hex');
    sessions.add(s);
    spent = true;
    return send(res, 303, 'text/plain', '', { Location: '/', 'Set-Cookie': `vigil_session=${s}; HttpOnly; SameSite=Strict; Path=/` });
  }
  const cookie = (req.headers.cookie || '').match(/vigil_session=([0-9a-f]{64})/);
  if (!cookie || !sessions.has(cookie[1]))
    return u.pathname.startsWith('/api/') ? json(res, 403, { error: 'no session' })
      : send(res, 403, 'text/html', '<p>Open the link vigil printed.</p>');
  if (req.method === 'POST' && req.headers['content-type'] !== 'application/json')
    return json(res, 415, { error: 'JSON only' });
  let m;
  if (u.pathname === '/api/case')
    return json(res, 200, { case: '/mock/case.db', examiner: 'mock', reveal_default: false,
      scheme: { name: 'projectvic-us', categories },
      counts: { new: 230, clusters: 3, known: 6, other: 2, errors: 1, categorised: reviews.size, items: items.length },
      sets: ['demo', 'other-set'], types: ['jpeg', 'png', 'unknown'] });
  if (u.pathname === '/api/items') return json(res, 200, list(u.searchParams));
  if ((m = u.pathname.match(/^\/api\/items\/(\d+)$/)))
    return items[m[1] - 1] ? json(res, 200, detail(items[m[1] - 1])) : json(res, 404, { error: `no item ${m[1]}` });
  if ((m = u.pathname.match(/^\/api\/thumb\/(\d+)$/)))
    return items[m[1] - 1]?.thumb ? send(res, 200, 'image/svg+xml', thumb(+m[1], u.searchParams.get('reveal') === '1'))
      : json(res, 404, { error: 'no thumbnail' });
  if (req.method === 'POST' && (m = u.pathname.match(/^\/api\/items\/(\d+)\/category$/))) {
    if (!items[m[1] - 1]) return json(res, 404, { error: `no item ${m[1]}` });
    if (+m[1] === 13) return json(res, 500, { error: 'mock: item 13 always fails' });
    return setCategory([+m[1]], body, res, { id: +m[1], category: JSON.parse(body || '{}').category ?? null });
  }
  if (req.method === 'POST' && (m = u.pathname.match(/^\/api\/clusters\/(\d+)\/category$/))) {
    const ids = items.filter(i => i.cluster === +m[1]).map(i => i.id);
    return ids.length ? setCategory(ids, body, res, { cluster: +m[1], items: ids.length })
      : json(res, 404, { error: `no cluster ${m[1]}` });
  }
  const file = path.join(assets, path.basename(u.pathname === '/' ? 'index.html' : u.pathname));
  if (req.method === 'GET' && fs.existsSync(file))
    return send(res, 200, types[path.extname(file)] || 'application/octet-stream', fs.readFileSync(file));
  json(res, 404, { error: 'not found' });
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', d => { body += d; });
  req.on('end', () => handle(req, res, body, server.address().port));
});
server.listen(+(process.argv[2] || 0), '127.0.0.1', () => {
  console.log(`vigil review: open http://127.0.0.1:${server.address().port}/?token=${token}`);
});
