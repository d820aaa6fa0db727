import { toMillis } from './format.js';

/** Lines drawn, in legend order, with the colours of the progress bars. */
const lines = [
  ['finished', '#2e9d5b'],
  ['error', '#d6453d'],
  ['running', '#2f7bd8'],
  ['scheduled', '#9aa5b1'],
  ['cancelled', '#e08a1e'],
];

/**
 * The rollout's (or one group's) counts per status over time, from `/rollouts/{id}/progress`:
 * `{ series: [{ at, group?, counts }] }` with cumulative counts per time bucket. Entries without
 * a group are the rollout's own; when there are only per-group entries, the rollout's line is
 * their sum, each group counting with its latest bucket at or before each time.
 * Returns uPlot's columns: times in seconds, then one column per line.
 */
export function chartColumns(progress, groupId) {
  const entries = (progress?.series ?? []).filter((e) => toMillis(e.at) !== undefined && e.counts);
  const own = groupId
    ? entries.filter((e) => String(e.group) === String(groupId))
    : entries.filter((e) => e.group === undefined || e.group === null);
  const chosen = own.length > 0 || groupId ? own : entries;
  const byGroup = new Map();
  for (const e of chosen) {
    const key = e.group ?? '';
    if (!byGroup.has(key)) byGroup.set(key, []);
    byGroup.get(key).push(e);
  }
  const times = [...new Set(chosen.map((e) => toMillis(e.at)))].sort((a, b) => a - b);
  const columns = [times.map((t) => t / 1000), ...lines.map(() => new Array(times.length).fill(0))];
  for (const series of byGroup.values()) {
    series.sort((a, b) => toMillis(a.at) - toMillis(b.at));
    let next = 0;
    let latest;
    times.forEach((t, i) => {
      while (next < series.length && toMillis(series[next].at) <= t) latest = series[next++].counts;
      if (latest) lines.forEach(([status], l) => (columns[l + 1][i] += latest[status] ?? 0));
    });
  }
  return columns;
}

/**
 * The points of `/rollouts/{id}/progress` for one scope (the rollout or a group), read in full
 * once and then only from the last bucket on (`from`), which is the one still filling. A change
 * of bucket width (per second while running, per minute once ended) reads everything again.
 */
export class ProgressHistory {
  constructor(rolloutId, get) {
    this.rolloutId = rolloutId;
    this.get = get;
    this.scope = undefined;
    this.bucketSeconds = undefined;
    this.points = [];
  }

  /** The whole series of `group` ('' for the rollout); undefined when the cluster has no such endpoint. */
  async load(group) {
    if (group !== this.scope) this.points = [];
    this.scope = group;
    const last = this.points.at(-1);
    const from = last ? toMillis(last.at) : undefined;
    const answer = await this.get(this.path(group, from));
    if (!answer) return undefined;
    if (from === undefined || answer.bucketSeconds !== this.bucketSeconds) {
      const full = from === undefined ? answer : await this.get(this.path(group));
      if (!full) return undefined;
      this.bucketSeconds = full.bucketSeconds;
      this.points = full.series ?? [];
    } else {
      this.points = [...this.points.filter((p) => toMillis(p.at) < from), ...(answer.series ?? [])];
    }
    return { bucketSeconds: this.bucketSeconds, series: this.points };
  }

  path(group, from) {
    const query = new URLSearchParams();
    if (group) query.set('group', group);
    if (from !== undefined) query.set('from', String(from));
    return `/rollouts/${this.rolloutId}/progress${query.size ? `?${query}` : ''}`;
  }
}

/** A uPlot chart that follows its container's width. */
export class ProgressChart {
  constructor(container) {
    this.container = container;
    this.plot = undefined;
    this.resize = new ResizeObserver(() => this.plot?.setSize(this.size()));
    this.resize.observe(container);
  }

  size() {
    return { width: Math.max(240, this.container.clientWidth), height: 240 };
  }

  show(columns) {
    if (!window.uPlot) {
      this.container.textContent = 'The chart library did not load.';
      return;
    }
    if (!this.plot) {
      this.container.innerHTML = '';
      this.plot = new window.uPlot(
        {
          ...this.size(),
          scales: {
            x: { time: true },
            y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
          },
          series: [
            {},
            // Points too, so that a series of one or two buckets is seen.
            ...lines.map(([label, stroke]) => ({ label, stroke, width: 2, points: { show: true, size: 5 } })),
          ],
          axes: [{}, { size: 72 }],
          legend: { live: true },
        },
        columns,
        this.container,
      );
    } else this.plot.setData(columns);
    // One bucket (a short rollout, or one rolled up to its minute) still gets a readable time axis.
    const times = columns[0];
    if (times.length > 0 && times[0] === times[times.length - 1]) {
      this.plot.setScale('x', { min: times[0] - 60, max: times[0] + 60 });
    }
  }

  /** Replaces the chart with a sentence (no data to draw). */
  note(text) {
    this.plot?.destroy();
    this.plot = undefined;
    this.container.innerHTML = `<p class="muted"></p>`;
    this.container.firstChild.textContent = text;
  }

  dispose() {
    this.resize.disconnect();
    this.plot?.destroy();
  }
}
