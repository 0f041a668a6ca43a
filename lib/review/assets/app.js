// app.js - vigil review in the browser: state, loading, keyboard, filters, settings.
// Every preview is blurred and grey unless the examiner reveals that one image (or
// chose clear previews as their default); one image at most is revealed at a time.
import { api, setItemCategory, setClusterCategory, thumbUrl } from './api.js';
import { el, showError, showInfo, fmtCount, isTyping } from './ui.js';
import { renderGrid, updateTile, setRevealed } from './grid.js';
import { renderDetail } from './detail.js';

const PAGE = 200;
const FILTERS = ['section', 'set', 'match_category', 'category', 'steg', 'flag', 'type', 'errors', 'q'];
const $ = id => document.getElementById(id);

const state = {
  kase: null,
  byKey: new Map(),    // digit -> category
  byCode: new Map(),   // code -> category
  items: new Map(),    // id -> item as listed (grid and expanded clusters)
  page: [],
  offset: 0,
  total: 0,
  totals: {},
  selected: null,      // item id
  revealDefault: false,
  advance: false,      // select the next tile after a digit
  revealed: null,      // blurred by default: the one id shown clear
  hidden: new Set(),   // clear by default: ids the examiner hid
  expanded: new Map(), // cluster -> member items
  detail: null,        // id shown in the panel
  loadSeq: 0,
};

const isRevealed = id => (state.revealDefault ? !state.hidden.has(id) : state.revealed === id);

const ctx = {
  isRevealed,
  category: code => state.byCode.get(code),
  get totals() { return state.totals; },
  members: c => state.expanded.get(c),
  onTileClick: id => select(id),
  onReveal: id => { select(id, { keepReveal: true }); toggleReveal(id); },
  onExpand: item => toggleCluster(item),
  onOpen: id => openDetail(id),
};

const tileOf = id => document.querySelector(`#grid [data-testid="tile"][data-id="${id}"]`);
const tiles = () => [...document.querySelectorAll('#grid [data-testid="tile"]')];

// ---- reveal -------------------------------------------------------------------------

function refreshReveal(id) {
  if (id === null || id === undefined) return;
  const item = state.items.get(id);
  const t = tileOf(id);
  if (t && item) setRevealed(t, item, isRevealed(id));
  const img = document.querySelector(`#detail img[data-thumb-id="${id}"]`);
  if (img) {
    img.setAttribute('src', thumbUrl(id, isRevealed(id)));
    const b = document.querySelector('#detail [data-testid="detail-reveal"]');
    if (b) b.textContent = isRevealed(id) ? 'hide (r)' : 'show (r)';
  }
}

function toggleReveal(id) {
  if (id === null) return;
  if (state.revealDefault) {
    if (state.hidden.has(id)) state.hidden.delete(id); else state.hidden.add(id);
    refreshReveal(id);
    return;
  }
  const prev = state.revealed;
  state.revealed = prev === id ? null : id;
  refreshReveal(prev);
  if (prev !== id) refreshReveal(id);
}

function hideRevealed() {
  if (state.revealDefault || state.revealed === null) return;
  const prev = state.revealed;
  state.revealed = null;
  refreshReveal(prev);
}

// Settings are kept in this browser per examiner.
const settingKey = name => `vigil-review:${name}:${state.kase.examiner}`;

function loadSettings() {
  const v = localStorage.getItem(settingKey('reveal-default'));
  state.revealDefault = v === null ? !!state.kase.reveal_default : v === '1';
  $('reveal-default').checked = state.revealDefault;
  state.advance = localStorage.getItem(settingKey('advance')) === '1';
  $('advance').checked = state.advance;
}

function changeAdvance(on) {
  localStorage.setItem(settingKey('advance'), on ? '1' : '0');
  state.advance = on;
}

function changeSetting(on) {
  localStorage.setItem(settingKey('reveal-default'), on ? '1' : '0');
  state.revealDefault = on;
  state.revealed = null;
  state.hidden.clear();
  for (const id of state.items.keys()) refreshReveal(id);
}

// ---- selection ------------------------------------------------------------------------

function select(id, opts = {}) {
  if (state.selected !== id && !opts.keepReveal && state.revealed !== id) hideRevealed();
  const old = state.selected !== null ? tileOf(state.selected) : null;
  if (old) { old.classList.remove('selected'); old.removeAttribute('aria-selected'); }
  state.selected = id;
  const t = id !== null ? tileOf(id) : null;
  if (t) {
    t.classList.add('selected');
    t.setAttribute('aria-selected', 'true');
    t.scrollIntoView({ block: 'nearest' });
  }
  if (state.detail !== null && id !== null && state.detail !== id) openDetail(id);
}

// Up and down go to the tile below or above nearest in x, whatever the nesting
// (sections and expanded clusters have grids of their own).
function neighbour(dir) {
  const all = tiles();
  if (!all.length) return null;
  const cur = tileOf(state.selected);
  if (!cur) return all[0];
  const i = all.indexOf(cur);
  if (dir === 'ArrowLeft') return all[Math.max(0, i - 1)];
  if (dir === 'ArrowRight') return all[Math.min(all.length - 1, i + 1)];
  const r = cur.getBoundingClientRect();
  const cx = r.left + r.width / 2;
  const below = dir === 'ArrowDown';
  let rowTop = null;
  let best = null;
  for (const t of all) {
    const b = t.getBoundingClientRect();
    if (below ? b.top <= r.top + 4 : b.top >= r.top - 4) continue;
    if (rowTop === null || (below ? b.top < rowTop - 4 : b.top > rowTop + 4)) { rowTop = b.top; best = null; }
    if (Math.abs(b.top - rowTop) > 4) continue;
    const d = Math.abs(b.left + b.width / 2 - cx);
    if (!best || d < best.d) best = { t, d };
  }
  return best ? best.t : cur;
}

function move(dir) {
  const t = dir === 'Home' ? tiles()[0] : dir === 'End' ? tiles().at(-1) : neighbour(dir);
  if (t) select(Number(t.dataset.id));
}

// ---- categorising -----------------------------------------------------------------------

function applyLocal(id, code) {
  const item = state.items.get(id);
  if (!item) return;
  item.category = code;
  const t = tileOf(id);
  if (t) { updateTile(t, item, ctx); t.dataset.error = ''; t.classList.remove('failed'); }
}

function failed(id, text) {
  const t = tileOf(id);
  if (t) { t.dataset.error = '1'; t.classList.add('failed'); }
  showError(text);
}

const catName = code => (code === null ? 'no category' : `category ${code} (${state.byCode.get(code)?.label || '?'})`);

async function categorise(id, code) {
  const item = state.items.get(id);
  if (!item) return;
  const t = tileOf(id);
  if (t) t.dataset.pending = '1';
  try {
    const r = await setItemCategory(id, code);
    applyLocal(id, r && 'category' in r ? r.category : code);
    afterChange(id);
  } catch (e) {
    failed(id, `Not saved: ${item.name} to ${catName(code)}: ${e.message}`);
  } finally {
    if (t) delete t.dataset.pending;
  }
}

async function categoriseCluster(id, code) {
  const item = state.items.get(id);
  if (!item) return;
  if (!item.cluster) {
    showError(`${item.name} is in no cluster: Shift+digit categorises a whole cluster; a digit alone this item.`);
    return;
  }
  try {
    const r = await setClusterCategory(item.cluster, code);
    for (const it of state.items.values()) if (it.cluster === item.cluster) applyLocal(it.id, code);
    for (const m of state.expanded.get(item.cluster) || []) m.category = code;
    showInfo(`Cluster ${item.cluster}: ${fmtCount(r.items)} items set to ${catName(code)}.`);
    afterChange(id);
  } catch (e) {
    failed(id, `Not saved: cluster ${item.cluster} to ${catName(code)}: ${e.message}`);
  }
}

function afterChange(id) {
  if (state.detail === id) openDetail(id);
  refreshCase().catch(() => {});
}

// ---- clusters -----------------------------------------------------------------------------

async function toggleCluster(item) {
  if (!item.cluster) return;
  if (state.expanded.has(item.cluster)) {
    state.expanded.delete(item.cluster);
    render();
    select(item.rep ? item.id : repOf(item.cluster));
    return;
  }
  try {
    const r = await api(`/api/items?cluster=${item.cluster}&limit=1000`);
    for (const m of r.items) if (!state.items.has(m.id)) state.items.set(m.id, m);
    state.expanded.set(item.cluster, r.items.map(m => state.items.get(m.id)));
    render();
    select(item.id);
  } catch (e) {
    showError(`Cannot list cluster ${item.cluster}: ${e.message}`);
  }
}

const repOf = c => state.page.find(i => i.cluster === c && i.rep)?.id ?? null;

// ---- detail panel ---------------------------------------------------------------------------

async function openDetail(id) {
  if (id === null || id === undefined) return;
  state.detail = id;
  const panel = $('detail');
  panel.hidden = false;
  document.body.classList.add('with-detail');
  try {
    const d = await api(`/api/items/${id}`);
    if (state.detail !== id) return;
    $('detail-title').textContent = d.name || d.path;
    renderDetail($('detail-body'), d, {
      isRevealed, category: ctx.category, categories: state.kase.scheme.categories,
      onCategory: code => categorise(id, code),
      onOpen: mid => { if (tileOf(mid)) select(mid); if (state.detail !== mid) openDetail(mid); },
      onReveal: mid => toggleReveal(mid),
    });
    if (!state.items.has(id)) state.items.set(id, d);
  } catch (e) {
    showError(`Cannot show item ${id}: ${e.message}`);
  }
}

function closeDetail() {
  state.detail = null;
  $('detail').hidden = true;
  $('detail-body').replaceChildren();
  document.body.classList.remove('with-detail');
}

// ---- loading ----------------------------------------------------------------------------------

function filterParams() {
  const q = new URLSearchParams();
  const f = new FormData($('filters'));
  for (const k of FILTERS) {
    const v = f.get(k);
    if (v) q.set(k, String(v).trim());
  }
  return q;
}

function sectionsShown(q) {
  const s = q.get('section');
  if (s && s !== 'all') return [s];
  return s === 'all' || q.get('errors') || q.get('q')
    ? ['new', 'cluster', 'known', 'other'] : ['new', 'cluster', 'known'];
}

async function loadTotals(q) {
  const totals = {};
  await Promise.all(sectionsShown(q).map(async s => {
    const p = new URLSearchParams(q);
    p.set('section', s);
    p.set('limit', '1');
    totals[s] = (await api('/api/items?' + p)).total;
  }));
  return totals;
}

async function load() {
  const seq = ++state.loadSeq;
  const q = filterParams();
  history.replaceState(null, '', '#' + new URLSearchParams([...q, ['offset', state.offset]]));
  const p = new URLSearchParams(q);
  p.set('offset', state.offset);
  p.set('limit', PAGE);
  $('grid').setAttribute('aria-busy', 'true');
  try {
    const [page, totals] = await Promise.all([api('/api/items?' + p), loadTotals(q)]);
    if (seq !== state.loadSeq) return;
    state.page = page.items;
    state.total = page.total;
    state.totals = totals;
    state.items = new Map(page.items.map(i => [i.id, i]));
    for (const ms of state.expanded.values()) for (const m of ms) if (!state.items.has(m.id)) state.items.set(m.id, m);
    if (!state.revealDefault) state.revealed = null;
    render();
    const first = tiles()[0];
    select(first ? Number(first.dataset.id) : null);
  } catch (e) {
    showError(`Cannot load the grid: ${e.message}`);
  } finally {
    if (seq === state.loadSeq) $('grid').removeAttribute('aria-busy');
  }
}

function render() {
  renderGrid($('grid'), state.page, ctx);
  const sel = state.selected;
  if (sel !== null && tileOf(sel)) tileOf(sel).classList.add('selected');
  const from = state.total ? state.offset + 1 : 0;
  const to = state.offset + state.page.length;
  $('page-info').textContent = `${fmtCount(from)}\u2013${fmtCount(to)} of ${fmtCount(state.total)}`;
  $('prev-page').disabled = state.offset === 0;
  $('next-page').disabled = to >= state.total;
  $('grid').dataset.offset = state.offset;
  $('grid').dataset.total = state.total;
}

function page(delta) {
  const o = state.offset + delta * PAGE;
  if (o < 0 || o >= state.total) return;
  state.offset = o;
  load();
}

async function refreshCase() {
  state.kase = await api('/api/case');
  const c = state.kase.counts || {};
  $('progress').textContent = `\u00b7 ${fmtCount(c.categorised)} of ${fmtCount(c.items)} items categorised`
    + (c.errors ? ` \u00b7 ${fmtCount(c.errors)} ${c.errors === 1 ? 'error' : 'errors'}` : '');
}

// ---- set-up ---------------------------------------------------------------------------------------

function fillSelect(name, values) {
  const s = $('filters').elements[name];
  for (const [v, text] of values) s.append(el('option', { value: v }, text));
}

function fillHelp() {
  const rows = [
    ...state.kase.scheme.categories.map(c => [c.key || '(no key)', `category ${c.code}: ${c.label}`
      + (c.key ? '' : ' (buttons in the detail)')]),
    ['Shift+digit', 'that category for the whole cluster of the selected item'],
    ['x / Shift+x', 'clear the category (of the item / of its cluster)'],
    ['\u2190 \u2191 \u2192 \u2193', 'move the selection (hides a revealed preview)'],
    ['Home / End', 'first / last tile'],
    ['r or Space', 'reveal / hide the selected preview (one at a time)'],
    ['e', 'expand / collapse the cluster of the selected item'],
    ['Enter', 'open the item detail'],
    ['Escape', 'close the detail, this list, or leave a filter field'],
    ['PgDn / PgUp', 'next / previous 200'],
    ['/', 'search paths'],
    ['?', 'this list'],
  ];
  $('help-keys').replaceChildren(...rows.map(([k, v]) =>
    el('tr', {}, el('th', {}, el('kbd', {}, k)), el('td', {}, v))));
}

function digitOf(e) {
  const m = /^(Digit|Numpad)([0-9])$/.exec(e.code || '');
  if (m && (m[1] === 'Digit' || /^[0-9]$/.test(e.key))) return m[2];
  return /^[0-9]$/.test(e.key) ? e.key : null;
}

function onDigit(e, d) {
  const cat = state.byKey.get(d);
  if (!cat) { showError(`No category on key ${d} in scheme ${state.kase.scheme.name}.`); return; }
  const id = state.detail ?? state.selected;
  if (id === null) return;
  if (e.shiftKey) {
    categoriseCluster(id, cat.code);
    return;
  }
  categorise(id, cat.code);
  if (state.advance) move('ArrowRight');
}

function setHelp(open) {
  $('help').hidden = !open;
}

function onKey(e) {
  if (isTyping(e.target)) {
    if (e.key === 'Escape') e.target.blur();
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  // a focused button takes Enter and Space itself (one action, not two)
  if (e.target instanceof HTMLButtonElement && (e.key === 'Enter' || e.key === ' ')) return;
  if (!$('help').hidden) {
    if (e.key === 'Escape' || e.key === '?') { setHelp(false); e.preventDefault(); }
    return;
  }
  const d = digitOf(e);
  if (d !== null) { e.preventDefault(); onDigit(e, d); return; }
  const id = state.detail ?? state.selected;
  const item = id !== null ? state.items.get(id) : null;
  let handled = true;
  switch (e.key) {
    case 'ArrowLeft': case 'ArrowRight': case 'ArrowUp': case 'ArrowDown': case 'Home': case 'End':
      move(e.key); break;
    case 'PageDown': page(1); break;
    case 'PageUp': page(-1); break;
    case 'r': case 'R': case ' ': if (item) toggleReveal(id); break;
    case 'Enter': if (id !== null) openDetail(id); break;
    case 'Escape': if (state.detail !== null) closeDetail(); else hideRevealed(); break;
    case 'x': if (item) categorise(id, null); break;
    case 'X': if (item) categoriseCluster(id, null); break;
    case 'e': case 'E': if (item) toggleCluster(item); break;
    case '?': setHelp(true); break;
    case '/': $('filters').elements.q.focus(); break;
    default: handled = false;
  }
  if (handled) e.preventDefault();
}

function restoreFilters() {
  const h = new URLSearchParams(location.hash.slice(1));
  const f = $('filters');
  for (const k of FILTERS) {
    const v = h.get(k);
    const input = f.elements[k];
    if (!v || !input) continue;
    if (input.type === 'checkbox') input.checked = v === '1'; else input.value = v;
  }
  state.offset = Math.max(0, parseInt(h.get('offset') || '0', 10) || 0);
}

function wire() {
  const f = $('filters');
  let timer = null;
  const reload = () => { state.offset = 0; state.expanded.clear(); load(); };
  // A changed filter gives the keys back to the grid: arrows must not go on
  // changing the select.
  f.addEventListener('change', e => {
    if (e.target.name === 'q') return;
    e.target.blur();
    reload();
  });
  f.addEventListener('input', e => {
    if (e.target.name !== 'q') return;
    clearTimeout(timer);
    timer = setTimeout(reload, 300);
  });
  f.addEventListener('submit', e => { e.preventDefault(); document.activeElement.blur(); reload(); });
  f.addEventListener('reset', () => setTimeout(reload, 0));
  $('reveal-default').addEventListener('change', e => { e.target.blur(); changeSetting(e.target.checked); });
  $('advance').addEventListener('change', e => { e.target.blur(); changeAdvance(e.target.checked); });
  $('help-button').addEventListener('click', () => setHelp(true));
  $('help-close').addEventListener('click', () => setHelp(false));
  $('detail-close').addEventListener('click', closeDetail);
  $('prev-page').addEventListener('click', () => page(-1));
  $('next-page').addEventListener('click', () => page(1));
  document.addEventListener('keydown', onKey);
}

async function main() {
  wire();
  try {
    await refreshCase();
  } catch (e) {
    showError(`Cannot open the case: ${e.message}`);
    return;
  }
  const k = state.kase;
  for (const c of k.scheme.categories) {
    if (c.key) state.byKey.set(c.key, c);
    state.byCode.set(c.code, c);
  }
  $('case-name').textContent = k.case.length > 60 ? '\u2026' + k.case.slice(-59) : k.case;
  $('case-name').title = `${k.case} (scheme ${k.scheme.name})`;
  $('examiner').textContent = k.examiner;
  document.title = `vigil review \u2014 ${k.case}`;
  fillSelect('set', (k.sets || []).map(s => [s, s]));
  fillSelect('type', (k.types || []).map(t => [t, t]));
  const cats = k.scheme.categories.map(c => [c.code, `${c.key} ${c.label}`]);
  fillSelect('category', cats);
  fillSelect('match_category', cats);
  fillHelp();
  loadSettings();
  restoreFilters();
  await load();
  document.body.dataset.ready = '1';
}

main();
