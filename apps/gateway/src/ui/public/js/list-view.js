import { api } from './api.js';
import { coalesce, follow } from './live.js';
import { escapeHtml, formatTime, progressBar, statusBadge } from './format.js';
import { rolloutStatuses as statuses } from './rollout-statuses.js';

const PAGE_SIZE = 50;

/** RSQL values are quoted so that a name with spaces or operators stays one value. */
const rsqlValue = (text) => `"${text.replace(/["\\]/g, '\\$&')}"`;

/**
 * The rollout list: one page (50) at a time from the server with its total, so a thousand
 * rollouts cost what fifty do; progress bars come from the page itself (no request per row).
 * The list's change feed names the rollouts that changed; the page is read again when one of
 * them is on it, or when a rollout newer than any seen appears.
 */
export function showList({ view, params, setLive }) {
  const state = {
    offset: Number(params.get('offset') ?? 0) || 0,
    name: params.get('name') ?? '',
    status: params.get('status') ?? '',
    sort: params.get('sort') ?? 'id:DESC',
    shown: new Set(),
    newest: 0,
  };
  view.innerHTML = `
    <section class="panel">
      <div class="toolbar">
        <h1>Rollouts</h1>
        <input type="search" id="filter-name" placeholder="Name contains…" value="${escapeHtml(state.name)}" />
        <select id="filter-status"><option value="">any status</option>${statuses
          .map((s) => `<option ${s === state.status ? 'selected' : ''}>${s}</option>`)
          .join('')}</select>
        <select id="sort">
          <option value="id:DESC">newest first</option><option value="id:ASC">oldest first</option>
          <option value="name:ASC">name</option><option value="status:ASC">status</option>
          <option value="lastModifiedAt:DESC">recently changed</option>
        </select>
        <a class="button primary" href="#/new" data-needs="CREATE_ROLLOUT">New rollout</a>
      </div>
      <div class="table-wrap"><table class="rollouts">
        <thead><tr><th>Id</th><th>Name</th><th>Status</th><th class="wide">Progress</th><th>Groups</th><th>Targets</th><th>Created</th></tr></thead>
        <tbody id="rollout-rows"><tr><td colspan="7" class="muted">Loading…</td></tr></tbody>
      </table></div>
      <div class="pager"><button type="button" id="prev">‹ Previous</button><span id="page-info"></span><button type="button" id="next">Next ›</button></div>
    </section>`;
  view.querySelector('#sort').value = state.sort;
  const rows = view.querySelector('#rollout-rows');
  let total = 0;
  let drawn = '';

  const query = () => {
    const parts = [];
    if (state.name.trim()) parts.push(`name==${rsqlValue(`*${state.name.trim()}*`)}`);
    if (state.status) parts.push(`status==${state.status}`);
    const search = new URLSearchParams({ offset: String(state.offset), limit: String(PAGE_SIZE), sort: state.sort });
    if (parts.length) search.set('q', parts.join(';'));
    return search.toString();
  };

  const load = coalesce(async () => {
    const page = await api('GET', `/rollouts?${query()}`);
    total = page.total;
    state.shown = new Set(page.content.map((r) => r.id));
    for (const r of page.content) state.newest = Math.max(state.newest, r.id);
    const html = page.content.length
      ? page.content.map(row).join('')
      : `<tr><td colspan="7" class="muted">No rollouts${state.name || state.status ? ' match' : ' yet'}.</td></tr>`;
    // Unchanged rows stay as they are (a click in progress is not lost to a redraw).
    if (html !== drawn) rows.innerHTML = drawn = html;
    const last = Math.min(state.offset + PAGE_SIZE, total);
    view.querySelector('#page-info').textContent = total ? `${state.offset + 1}–${last} of ${total}` : '';
    view.querySelector('#prev').disabled = state.offset === 0;
    view.querySelector('#next').disabled = last >= total;
  }, 500);

  const remember = () => {
    const search = new URLSearchParams();
    if (state.offset) search.set('offset', String(state.offset));
    if (state.name) search.set('name', state.name);
    if (state.status) search.set('status', state.status);
    if (state.sort !== 'id:DESC') search.set('sort', state.sort);
    history.replaceState(null, '', `#/rollouts${search.size ? `?${search}` : ''}`);
  };
  const reload = () => {
    remember();
    load();
  };

  let typing;
  view.querySelector('#filter-name').addEventListener('input', (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.name = e.target.value;
      state.offset = 0;
      reload();
    }, 300);
  });
  view.querySelector('#filter-status').addEventListener('change', (e) => {
    state.status = e.target.value;
    state.offset = 0;
    reload();
  });
  view.querySelector('#sort').addEventListener('change', (e) => {
    state.sort = e.target.value;
    state.offset = 0;
    reload();
  });
  view.querySelector('#prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    reload();
  });
  view.querySelector('#next').addEventListener('click', () => {
    state.offset += PAGE_SIZE;
    reload();
  });
  rows.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-id]');
    if (tr && !e.target.closest('a')) location.hash = `#/rollouts/${tr.dataset.id}`;
  });

  // Read at once, not only when the feed is up: the list shows even while the feed reconnects.
  load();
  const stop = follow('/ui/api/rollouts/changes', {
    onReady: load,
    onChange: (data) => {
      const ids = data?.rolloutIds;
      if (!ids || ids.some((id) => state.shown.has(id) || id > state.newest)) load();
    },
    onStatus: setLive,
  });
  return stop;
}

const row = (r) => `
  <tr data-id="${r.id}" data-status="${escapeHtml(r.status)}">
    <td>${r.id}</td>
    <td><a href="#/rollouts/${r.id}">${escapeHtml(r.name)}</a></td>
    <td>${statusBadge(r.status)}</td>
    <td class="wide">${progressBar(r.totalTargetsPerStatus, r.totalTargets)}</td>
    <td>${r.totalGroups ?? ''}</td>
    <td>${r.totalTargets}</td>
    <td class="nowrap">${formatTime(r.createdAt)}</td>
  </tr>`;
