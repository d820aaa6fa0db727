import { api, ApiError, optionalGet } from './api.js';
import { coalesce, follow } from './live.js';
import { escapeHtml, formatTime, progressBar, statusBadge, statusLegend } from './format.js';
import { GroupList } from './group-list.js';
import { chartColumns, ProgressChart, ProgressHistory } from './progress-chart.js';
import { renderAudit } from './audit-trail.js';
import { CompletionEstimate } from './estimate.js';
import { commandRequest, rolloutCommands } from './rollout-commands.js';

const GROUP_PAGE = 500;

/**
 * One rollout: its facts and overall bar, the lifecycle buttons, a bar per group, progress over
 * time and the audit trail. The rollout's change feed drives every refresh: the rollout and its
 * groups are read again at most every 400 ms, the history (chart, audit) every 2 s. History
 * endpoints that this cluster does not serve (404) leave their panel with a note, and are asked
 * again later.
 */
export function showDetail({ view, user, toast, setLive }, id) {
  view.innerHTML = `
    <section class="panel" id="rollout-panel"><p class="muted">Loading rollout ${id}…</p></section>
    <div class="columns">
      <section class="panel"><div class="panel-head"><h2>Progress over time</h2>
        <select id="chart-group" aria-label="Chart of"><option value="">whole rollout</option></select></div>
        <div id="chart" class="chart"></div></section>
      <section class="panel"><div class="panel-head"><h2>Audit trail</h2></div><div id="audit"></div></section>
    </div>
    <section class="panel"><div class="panel-head"><h2 id="groups-title">Groups</h2></div><div id="groups"></div></section>`;
  const panel = view.querySelector('#rollout-panel');
  const groupList = new GroupList(view.querySelector('#groups'));
  const chart = new ProgressChart(view.querySelector('#chart'));
  const progressHistory = new ProgressHistory(id, optionalGet);
  const chartGroup = view.querySelector('#chart-group');
  const estimate = new CompletionEstimate();
  const groupNames = new Map();
  let rollout;
  let gone = false;
  let historyMissingUntil = 0;
  /** The HTML each part of the rollout panel shows now. */
  const drawn = new Map();

  const loadGroups = async () => {
    const groups = [];
    for (let offset = 0; ; offset += GROUP_PAGE) {
      const page = await api('GET', `/rollouts/${id}/deploygroups?offset=${offset}&limit=${GROUP_PAGE}`);
      groups.push(...page.content);
      if (page.content.length < GROUP_PAGE || groups.length >= page.total) return groups;
    }
  };

  const refresh = coalesce(async () => {
    if (gone) return;
    try {
      const [current, groups] = await Promise.all([api('GET', `/rollouts/${id}`), loadGroups()]);
      rollout = current;
      renderRollout();
      view.querySelector('#groups-title').textContent = `Groups (${groups.length})`;
      groupList.update(groups);
      updateGroupChoices(groups);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        gone = true;
        panel.innerHTML = `<p class="error">Rollout ${id} does not exist (any more).</p><p><a href="#/rollouts">Back to the list</a></p>`;
      } else throw error;
    }
  }, 400);

  const refreshHistory = coalesce(async () => {
    if (gone || Date.now() < historyMissingUntil) return;
    const group = chartGroup.value;
    const [progress, audit] = await Promise.all([progressHistory.load(group), optionalGet(`/rollouts/${id}/audit`)]);
    const columns = progress && chartColumns(progress, group || undefined);
    if (columns?.[0].length) chart.show(columns);
    else if (progress) chart.note('No progress recorded yet.');
    else chart.note('Progress history is not available on this cluster yet.');
    const auditBox = view.querySelector('#audit');
    if (audit) renderAudit(auditBox, audit, groupNames);
    else auditBox.innerHTML = '<p class="muted">The audit trail is not available on this cluster yet.</p>';
    if (!progress || !audit) historyMissingUntil = Date.now() + 10_000;
  }, 2_000);

  const updateGroupChoices = (groups) => {
    if (groups.length === groupNames.size) return;
    groupNames.clear();
    for (const g of groups) groupNames.set(g.id, g.name);
    const selected = chartGroup.value;
    chartGroup.innerHTML =
      '<option value="">whole rollout</option>' +
      groups.map((g) => `<option value="${g.id}">${escapeHtml(g.name)}</option>`).join('');
    chartGroup.value = selected;
  };

  const renderRollout = () => {
    const r = rollout;
    const buttons = rolloutCommands
      .filter((c) => user.permissions.includes(c.needs))
      .map(
        (c) =>
          `<button type="button" data-command="${c.verb}" ${c.states.includes(r.status) ? '' : 'disabled'}>${c.label}</button>`,
      )
      .join('');
    const parts = {
      head: `<div class="detail-head">
          <h1><span class="muted">#${r.id}</span> ${escapeHtml(r.name)}</h1>
          <span id="rollout-status">${statusBadge(r.status)}</span>
        </div>
        ${r.description ? `<p>${escapeHtml(r.description)}</p>` : ''}`,
      facts: `<dl class="facts">
          <div><dt>Targets</dt><dd id="total-targets">${r.totalTargets}</dd></div>
          <div><dt>Groups</dt><dd>${r.totalGroups ?? '—'}</dd></div>
          <div><dt>Distribution set</dt><dd>${r.distributionSetId}</dd></div>
          <div><dt>Type</dt><dd>${escapeHtml(r.type)}</dd></div>
          <div class="span"><dt>Filter</dt><dd><code>${escapeHtml(r.targetFilterQuery)}</code></dd></div>
          <div><dt>Created</dt><dd>${formatTime(r.createdAt)} by ${escapeHtml(r.createdBy)}</dd></div>
          <div><dt>Last change</dt><dd>${formatTime(r.lastModifiedAt)} by ${escapeHtml(r.lastModifiedBy)}</dd></div>
          <div class="span"><dt>Estimated completion</dt><dd id="estimate">${escapeHtml(estimate.describe(r))}</dd></div>
        </dl>`,
      commands: `<div class="commands">${buttons || '<span class="muted">You may only watch this rollout.</span>'}</div>`,
      progress: `${progressBar(r.totalTargetsPerStatus, r.totalTargets)}${statusLegend(r.totalTargetsPerStatus)}`,
    };
    if (drawn.size === 0) {
      panel.innerHTML = Object.keys(parts)
        .map((part) => `<div data-part="${part}"></div>`)
        .join('');
    }
    // Only the parts that changed are redrawn: a button is not replaced under the pointer while counts move.
    for (const [part, html] of Object.entries(parts)) {
      if (drawn.get(part) === html) continue;
      panel.querySelector(`[data-part="${part}"]`).innerHTML = html;
      drawn.set(part, html);
    }
  };

  panel.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-command]');
    if (!button) return;
    const command = rolloutCommands.find((c) => c.verb === button.dataset.command);
    if (command.confirm && !confirm(command.confirm)) return;
    button.disabled = true;
    try {
      await api(...commandRequest(command.verb, id));
      toast(`${command.label}: done`);
    } catch (error) {
      toast(`${command.label} refused: ${error.message}`, 'error');
    }
    refresh();
    refreshHistory();
  });

  chartGroup.addEventListener('change', () => {
    historyMissingUntil = 0;
    refreshHistory();
  });

  // History may be projected apart from the rollout's own rows: while it moves, look every few seconds.
  const ticker = setInterval(() => {
    if (rollout && ['running', 'starting', 'stopping', 'deleting'].includes(rollout.status)) refreshHistory();
  }, 5_000);

  refresh();
  refreshHistory();
  const stop = follow(`/ui/api/rollouts/${id}/changes`, {
    onReady: () => {
      refresh();
      refreshHistory();
    },
    onChange: () => {
      refresh();
      refreshHistory();
    },
    onStatus: setLive,
  });
  return () => {
    stop();
    clearInterval(ticker);
    chart.dispose();
  };
}
