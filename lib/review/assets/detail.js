// detail.js - the item detail panel: review, provenance, hashes, EXIF, matches,
// cluster members, steganalysis and the thumbnail-differs flag of GET /api/items/ID.
// ctx: isRevealed(id), category(code), categories, onCategory(code), onOpen(id), onReveal(id)
import { el, fmtBytes, fmtCount } from './ui.js';
import { thumbUrl } from './api.js';

const dash = v => (v === null || v === undefined || v === '' ? '\u2014' : String(v));

function dl(testid, rows) {
  return el('dl', { class: 'kv', 'data-testid': testid },
    rows.filter(Boolean).map(([k, v, id]) => [el('dt', {}, k), el('dd', id ? { 'data-testid': id } : {}, v)]));
}

function block(title, testid, ...content) {
  return el('section', { class: 'dblock', 'data-testid': testid }, el('h3', {}, title), ...content);
}

function reviewBlock(d, ctx) {
  const r = d.review;
  const cat = r && r.category ? ctx.category(r.category) : null;
  const text = r && r.category
    ? `${r.category}${cat ? ` \u00b7 ${cat.label}` : ''} \u2014 by ${r.examiner} at ${r.time}`
    : 'not categorised';
  const buttons = ctx.categories.map(c => el('button', {
    type: 'button', class: 'catbtn' + (r && r.category === c.code ? ' on' : ''),
    'data-testid': 'detail-category', 'data-code': c.code, title: c.label,
    on: { click: () => ctx.onCategory(c.code) },
  }, `${c.key || c.code} ${c.label}`));
  buttons.push(el('button', {
    type: 'button', class: 'catbtn', 'data-testid': 'detail-category-clear',
    on: { click: () => ctx.onCategory(null) },
  }, 'x clear'));
  return block('Review', 'detail-review', el('p', { 'data-testid': 'review-text' }, text),
    el('div', { class: 'catbtns' }, buttons));
}

function chainBlock(d) {
  const chain = (d.chain || []).map((c, i) => el('li', { 'data-seq': c.seq }, i ? '\u21b3 ' : '', c.name));
  return block('Provenance', 'detail-provenance',
    dl('detail-evidence', [
      ['evidence', dash(d.evidence), 'evidence'],
      ['source', dash(d.source)],
      d.offset !== null && d.offset !== undefined ? ['offset', `${fmtCount(d.offset)} (0x${d.offset.toString(16)})`] : null,
      ['path', dash(d.path), 'path'],
    ]),
    el('ol', { class: 'chain', 'data-testid': 'detail-chain' }, chain));
}

function fileBlock(d) {
  return block('File', 'detail-file', dl('detail-file-kv', [
    ['type', dash(d.file_type)],
    ['size', fmtBytes(d.size)],
    ['dimensions', d.width ? `${d.width} \u00d7 ${d.height}` : '\u2014'],
    ['status', d.status + (d.error ? `: ${d.error}` : ''), 'status'],
    d.flags ? ['found', d.flags.split('|').join(', ')] : null,
    ['modified', dash(d.mtime)],
    d.atime ? ['accessed', d.atime] : null,
    d.ctime ? ['changed', d.ctime] : null,
    d.crtime ? ['created', d.crtime] : null,
  ]));
}

function hashBlock(d) {
  const h = (name, v, id) => [name, el('code', { class: 'hash' }, dash(v)), id];
  return block('Hashes', 'detail-hashes', dl('detail-hashes-kv', [
    h('MD5', d.md5, 'hash-md5'), h('SHA-1', d.sha1, 'hash-sha1'), h('SHA-256', d.sha256, 'hash-sha256'),
    h('PDQ', d.pdq, 'hash-pdq'),
    d.pdq ? ['PDQ quality', dash(d.pdq_quality)] : null,
  ]));
}

function exifBlock(d) {
  const x = d.exif;
  if (!x) return block('EXIF', 'detail-exif', el('p', { class: 'muted' }, 'none'));
  const gps = x.gps ? `${x.gps.lat.toFixed(6)}, ${x.gps.lon.toFixed(6)}` : '\u2014';
  return block('EXIF', 'detail-exif', dl('detail-exif-kv', [
    ['camera', [x.make, x.model].filter(Boolean).join(' ') || '\u2014'],
    ['taken', dash(x.datetime)],
    ['GPS (lat, lon)', gps, 'gps'],
  ]));
}

function matchesBlock(d) {
  const m = d.matches || [];
  if (!m.length) return block('Matches', 'detail-matches', el('p', { class: 'muted' }, 'no hash set knows this file'));
  return block('Matches', 'detail-matches', el('table', { class: 'matches' },
    el('thead', {}, el('tr', {}, ['set', 'kind', 'distance', 'category', 'labels'].map(h => el('th', {}, h)))),
    el('tbody', {}, m.map(x => el('tr', { 'data-testid': 'match' },
      el('td', {}, x.set), el('td', {}, x.kind), el('td', { class: 'num' }, dash(x.distance)),
      el('td', {}, x.category_label || dash(x.category)), el('td', {}, dash(x.labels)))))));
}

// Paths below the item's evidence are shown from there (the prefix says nothing).
function shortPath(p, evidence) {
  return evidence && p.startsWith(evidence + '/') ? p.slice(evidence.length + 1) : p;
}

function membersBlock(d, ctx) {
  const m = d.members || [];
  if (!m.length) return null;
  const total = d.members_total || m.length;
  const title = `Cluster ${d.cluster} (${fmtCount(total)} near-duplicates${total > m.length ? `, the first ${fmtCount(m.length)} listed` : ''})`;
  return block(title, 'detail-members',
    el('ul', { class: 'members-list' }, m.map(x => el('li', { title: x.path },
      x.id === d.id ? el('span', { class: 'current' }, shortPath(x.path, d.evidence), ' (this item)')
        : el('button', { type: 'button', class: 'link', 'data-id': x.id, on: { click: () => ctx.onOpen(x.id) } },
          shortPath(x.path, d.evidence))))));
}

function stegBlock(d) {
  const s = d.steg_scores || {};
  return block('Steganalysis', 'detail-steg', dl('detail-steg-kv', [
    ['verdict', dash(d.steg), 'steg-verdict'],
    ['reason', dash(d.steg_reason)],
    ...Object.entries(s).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
  ]));
}

function thumbFlag(d) {
  if (d.thumb_differs)
    return el('p', { class: 'warn', 'data-testid': 'thumb-differs' },
      `Embedded thumbnail differs from the picture (PDQ distance ${dash(d.thumb_distance)}): `
      + 'a viewer may show something else than the file holds.');
  if (d.thumb_distance === null || d.thumb_distance === undefined) return null;
  return el('p', { class: 'muted', 'data-testid': 'thumb-same' },
    `Embedded thumbnail matches the picture (PDQ distance ${d.thumb_distance}).`);
}

function preview(d, ctx) {
  if (!d.thumb) return el('div', { class: 'frame empty' }, el('span', {}, 'no preview'));
  const on = ctx.isRevealed(d.id);
  return el('div', { class: 'frame big' },
    el('img', { alt: '', draggable: 'false', 'data-testid': 'detail-thumb', 'data-thumb-id': d.id, src: thumbUrl(d.id, on) }),
    el('button', { type: 'button', class: 'reveal', 'data-testid': 'detail-reveal', on: { click: () => ctx.onReveal(d.id) } },
      on ? 'hide (r)' : 'show (r)'));
}

export function renderDetail(body, d, ctx) {
  body.replaceChildren(...[
    preview(d, ctx), thumbFlag(d), reviewBlock(d, ctx), chainBlock(d), hashBlock(d), matchesBlock(d),
    fileBlock(d), membersBlock(d, ctx), exifBlock(d), stegBlock(d)].filter(Boolean));
  body.dataset.id = d.id;
}
