/** Rendering helpers shared by the views: escaping, times, status badges and progress bars. */

const entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to place in HTML (names and filters come from users). */
export const escapeHtml = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => entities[c]);

/** Epoch milliseconds or an ISO string, as milliseconds; undefined when neither. */
export function toMillis(at) {
  if (typeof at === 'number') return at;
  if (typeof at === 'string') {
    const parsed = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

export function formatTime(at) {
  const ms = toMillis(at);
  return ms === undefined ? '—' : new Date(ms).toLocaleString();
}

export function formatDuration(ms) {
  if (ms < 0) ms = 0;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

export const statusBadge = (status) =>
  `<span class="badge status-${escapeHtml(status)}" data-status="${escapeHtml(status)}">${escapeHtml(
    String(status ?? '').replace(/_/g, ' '),
  )}</span>`;

/** The order segments are drawn in, left to right: what is done first, what has not begun last. */
export const barStatuses = ['finished', 'error', 'cancelled', 'running', 'scheduled', 'notstarted'];

/** Targets of a `totalTargetsPerStatus` that reached a final state. */
export const doneCount = (perStatus) =>
  (perStatus?.finished ?? 0) + (perStatus?.error ?? 0) + (perStatus?.cancelled ?? 0);

/**
 * A stacked bar over `total` targets with one segment per status, and a title listing the
 * counts; `label` is shown beside it (done of total by default).
 */
export function progressBar(perStatus, total, label) {
  const counts = perStatus ?? {};
  const segments = total
    ? barStatuses
        .filter((s) => counts[s] > 0)
        .map((s) => `<span class="seg seg-${s}" style="width:${((counts[s] / total) * 100).toFixed(3)}%"></span>`)
        .join('')
    : '';
  const title = barStatuses.map((s) => `${s}: ${counts[s] ?? 0}`).join(', ');
  const text = label ?? `${doneCount(counts)}/${total ?? 0}`;
  return `<div class="progress" title="${escapeHtml(title)}"><div class="bar">${segments}</div><span class="bar-label">${escapeHtml(text)}</span></div>`;
}

/** A legend with the count of every status, for the detail page. */
export const statusLegend = (perStatus) =>
  `<ul class="legend">${barStatuses
    .map(
      (s) =>
        `<li data-count="${s}"><span class="swatch seg-${s}"></span>${s} <b>${escapeHtml(perStatus?.[s] ?? 0)}</b></li>`,
    )
    .join('')}</ul>`;
