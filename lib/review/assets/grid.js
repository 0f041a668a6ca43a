// grid.js - the grid of previews: sections with counts, tiles, expanded clusters.
// Rendering only; app.js owns the state and passes a view context:
//   ctx.isRevealed(id), ctx.category(code) -> {code,label,key}|undefined,
//   ctx.totals {new,cluster,known,other}, ctx.members(cluster) -> items|undefined,
//   ctx.onTileClick(id, event), ctx.onReveal(id), ctx.onExpand(item), ctx.onOpen(id)
import { el, fmtCount } from './ui.js';
import { thumbUrl } from './api.js';

const SECTION_TITLES = {
  new: 'New images',
  cluster: 'Near-duplicate clusters',
  known: 'Known material',
  other: 'Other files',
};

function chips(item, ctx) {
  const out = [];
  const cat = item.category !== null && item.category !== undefined ? ctx.category(item.category) : null;
  out.push(el('span', {
    class: 'badge category' + (cat ? ` cat-${cat.key}` : ' none'),
    'data-testid': 'category-badge',
    title: cat ? cat.label : 'not categorised',
  }, cat ? `${cat.key || cat.code} ${cat.label}` : (item.category ? `? ${item.category}` : '')));
  if (item.cluster && item.rep && item.cluster_size)
    out.push(el('button', {
      type: 'button', class: 'chip cluster', 'data-testid': 'expand',
      title: `cluster ${item.cluster}: ${item.cluster_size} near-duplicates (e expands)`,
      on: { click: ev => { ev.stopPropagation(); ctx.onExpand(item); } },
    }, `\u00d7${item.cluster_size}`));
  for (const f of (item.flags || '').split('|').filter(Boolean))
    out.push(el('span', { class: `chip flag-${f}` }, f));
  if (item.steg && item.steg !== 'clean')
    out.push(el('span', { class: `chip steg-${item.steg}`, title: 'steganalysis verdict' }, `steg: ${item.steg}`));
  if (item.match)
    out.push(el('span', {
      class: 'chip match', title: `${item.match.set}: ${item.match.category_label || ''}`,
    }, item.match.kind === 'pdq' ? `pdq ${item.match.distance}` : item.match.kind));
  if (item.status && item.status !== 'ok')
    out.push(el('span', { class: 'chip error', title: 'error while examining' }, item.status));
  return out;
}

function frame(item, ctx) {
  if (!item.thumb)
    return el('div', { class: 'frame empty', 'data-testid': 'no-thumb' },
      el('span', {}, item.file_type && item.file_type !== 'unknown' ? item.file_type : 'file'),
      el('span', { class: 'muted' }, 'no preview'));
  return el('div', { class: 'frame' },
    el('img', {
      'data-testid': 'thumb', 'data-thumb-id': item.id, alt: '', draggable: 'false',
      decoding: 'async', src: thumbUrl(item.id, ctx.isRevealed(item.id)),
    }));
}

// One tile. The attributes are the tests' hooks: data-id, data-section, data-revealed,
// data-category, data-cluster, data-path.
export function makeTile(item, ctx, member = false) {
  const t = el('figure', {
    class: 'tile', tabindex: '-1', 'data-testid': 'tile', role: 'gridcell',
    dataset: { id: item.id, section: item.section, cluster: item.cluster || 0, path: item.path,
      member: member ? '1' : '0' },
    on: {
      click: ev => ctx.onTileClick(item.id, ev),
      dblclick: () => ctx.onOpen(item.id),
    },
  });
  t.append(frame(item, ctx), el('figcaption', {},
    el('div', { class: 'name', title: item.path, 'data-testid': 'tile-name' }, item.name || item.path),
    el('div', { class: 'meta' },
      item.thumb ? el('button', {
        type: 'button', class: 'reveal', 'data-testid': 'reveal', title: 'show / hide this preview (r)',
        on: { click: ev => { ev.stopPropagation(); ctx.onReveal(item.id); } },
      }, 'show') : null,
      el('span', { class: 'chips' }, chips(item, ctx)))));
  updateTile(t, item, ctx);
  return t;
}

// Brings a tile's category, chips and reveal state up to date without rebuilding it.
export function updateTile(t, item, ctx) {
  t.dataset.category = item.category || '';
  const cat = item.category ? ctx.category(item.category) : null;
  t.classList.toggle('categorised', !!item.category);
  t.dataset.catkey = cat ? cat.key || 'x' : '';
  const c = t.querySelector('.chips');
  if (c) c.replaceChildren(...chips(item, ctx));
  setRevealed(t, item, ctx.isRevealed(item.id));
}

export function setRevealed(t, item, on) {
  const shown = !!(on && item.thumb);
  t.dataset.revealed = shown ? '1' : '0';
  const img = t.querySelector('img[data-testid="thumb"]');
  if (img) {
    const want = thumbUrl(item.id, shown);
    if (img.getAttribute('src') !== want) img.setAttribute('src', want);
  }
  const b = t.querySelector('button.reveal');
  if (b) b.textContent = shown ? 'hide' : 'show';
}

function heading(section, ctx) {
  const n = ctx.totals[section];
  return el('h2', { class: 'section-heading', 'data-testid': 'section-heading', 'data-section': section },
    SECTION_TITLES[section] || section,
    n !== undefined ? el('span', { class: 'count', 'data-testid': 'section-count' }, fmtCount(n)) : null);
}

function membersBlock(rep, members, ctx) {
  const tiles = members.filter(m => m.id !== rep.id).map(m => makeTile(m, ctx, true));
  return el('div', { class: 'members', 'data-testid': 'cluster-members', 'data-cluster': rep.cluster },
    el('div', { class: 'members-head' },
      `cluster ${rep.cluster}: ${fmtCount(rep.cluster_size || members.length)} near-duplicates`
      + (rep.cluster_size > members.length ? `, the first ${fmtCount(members.length)} shown` : '')
      + ' (Shift+digit categorises them all; e collapses)'),
    el('div', { class: 'tiles' }, tiles));
}

// Renders one page of /api/items into container, grouped by section; known items get a
// sub-heading per best match category (the server orders them so).
export function renderGrid(container, items, ctx) {
  container.replaceChildren();
  let section = null;
  let sub = null;
  let tiles = null;
  const newTiles = parent => { tiles = el('div', { class: 'tiles', role: 'row' }); parent.append(tiles); };
  let sec = null;
  for (const item of items) {
    if (item.section !== section) {
      section = item.section;
      sub = null;
      sec = el('section', { class: 'section', 'data-testid': 'section', 'data-section': section },
        heading(section, ctx));
      container.append(sec);
      newTiles(sec);
    }
    if (section === 'known') {
      const label = item.match ? (item.match.category_label || item.match.category || 'no category') : 'no category';
      if (label !== sub) {
        sub = label;
        sec.append(el('h3', { class: 'sub-heading', 'data-testid': 'known-category' }, label));
        newTiles(sec);
      }
    }
    tiles.append(makeTile(item, ctx));
    const members = item.rep && item.cluster ? ctx.members(item.cluster) : undefined;
    if (members) tiles.append(membersBlock(item, members, ctx));
  }
  if (!items.length)
    container.append(el('p', { class: 'empty-grid', 'data-testid': 'empty' }, 'Nothing matches these filters.'));
}
