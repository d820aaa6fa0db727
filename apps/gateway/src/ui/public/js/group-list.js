import { escapeHtml, progressBar, statusBadge } from './format.js';

const ROW_HEIGHT = 36;
const MAX_VISIBLE_HEIGHT = 440;
const OVERSCAN = 8;

const condition = (c) =>
  c
    ? `${c.condition === 'ERROR_COUNT' ? '>' : ''}${escapeHtml(c.expression)}${c.condition === 'THRESHOLD' ? '%' : ''}`
    : '—';

/**
 * The deployment groups, one bar each, in a list that draws only the rows in view: five hundred
 * groups refresh as cheaply as ten. Rows have a fixed height so that the scroll position alone
 * tells which are in view.
 */
export class GroupList {
  constructor(container) {
    this.groups = [];
    this.container = container;
    container.innerHTML = `
      <div class="group-head"><span>#</span><span>Group</span><span>Status</span><span class="wide">Progress</span><span>Targets</span><span title="success threshold / error threshold">Conditions</span></div>
      <div class="group-scroll"><div class="group-spacer"></div></div>`;
    this.scroller = container.querySelector('.group-scroll');
    this.spacer = container.querySelector('.group-spacer');
    this.scroller.addEventListener('scroll', () => this.draw(), { passive: true });
  }

  update(groups) {
    this.groups = groups;
    this.spacer.style.height = `${groups.length * ROW_HEIGHT}px`;
    this.scroller.style.height = `${Math.min(MAX_VISIBLE_HEIGHT, Math.max(1, groups.length) * ROW_HEIGHT)}px`;
    this.draw();
  }

  draw() {
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      this.groups.length,
      Math.ceil((this.scroller.scrollTop + this.scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN,
    );
    let html = '';
    for (let i = first; i < last; i++) html += this.row(this.groups[i], i);
    this.spacer.innerHTML = this.groups.length ? html : '<div class="muted group-empty">No groups yet.</div>';
  }

  row(g, index) {
    return `<div class="group-row" data-group-index="${index + 1}" data-group-id="${g.id}" data-status="${escapeHtml(
      g.status,
    )}" style="top:${index * ROW_HEIGHT}px">
      <span>${index + 1}</span>
      <span class="group-name" title="${escapeHtml(g.name)}">${escapeHtml(g.name)}</span>
      <span>${statusBadge(g.status)}</span>
      <span class="wide">${progressBar(g.totalTargetsPerStatus, g.totalTargets)}</span>
      <span>${g.totalTargets}</span>
      <span class="nowrap">${condition(g.successCondition)} / ${condition(g.errorCondition)}</span>
    </div>`;
  }
}
