import { escapeHtml, formatTime, statusBadge } from './format.js';

const SHOWN = 300;

/** The entries of an audit answer, whether a plain list or a page (`content`). */
export const auditEntries = (answer) => (Array.isArray(answer) ? answer : (answer?.content ?? []));

/**
 * The decisions taken on the rollout and its groups, newest first: what changed, from which
 * state to which, why (the sentence with the figures), and who or what caused it.
 */
export function renderAudit(container, answer, groupNames) {
  const entries = auditEntries(answer);
  if (entries.length === 0) {
    container.innerHTML = '<p class="muted">No decisions recorded yet.</p>';
    return;
  }
  const newestFirst = entries.slice().reverse().slice(0, SHOWN);
  container.innerHTML = `<ol class="audit">${newestFirst.map((e) => item(e, groupNames)).join('')}</ol>${
    entries.length > SHOWN ? `<p class="muted">Showing the latest ${SHOWN} of ${entries.length}.</p>` : ''
  }`;
}

function item(e, groupNames) {
  const name = String(groupNames.get(e.groupId) ?? e.groupId ?? '');
  // A group named "group-2" reads better without "group" in front of it again.
  const subject =
    e.subject === 'group'
      ? escapeHtml(/group/i.test(name) ? name : `group ${name}`)
      : escapeHtml(e.subject ?? 'rollout');
  const transition = e.to ? `${e.from ? `${statusBadge(e.from)} → ` : ''}${statusBadge(e.to)}` : '';
  return `<li class="audit-entry" data-event-type="${escapeHtml(e.eventType)}">
    <div class="audit-when">${formatTime(e.at)}</div>
    <div class="audit-what"><b>${subject}</b> ${transition}</div>
    <div class="audit-why">${escapeHtml(e.reason ?? e.eventType ?? '')}</div>
    <div class="audit-who muted">${escapeHtml(e.actor ?? '')} · ${escapeHtml(e.eventType ?? '')}</div>
  </li>`;
}
