import { doneCount, formatDuration, formatTime } from './format.js';

const WINDOW_MS = 60_000;

/**
 * When the rollout should be done. Reporting's `estimatedCompletionAt` (epoch ms, or null when
 * it is not running or has no rate yet) is used when the read model has the field; without it,
 * the page estimates from the rate it has itself seen targets reach a final state over the last
 * minute.
 */
export class CompletionEstimate {
  constructor() {
    this.samples = [];
  }

  describe(rollout, now = Date.now()) {
    const running = rollout.status === 'running' || rollout.status === 'starting';
    if ('estimatedCompletionAt' in rollout) {
      const at = rollout.estimatedCompletionAt;
      return at === null || at === undefined ? (running ? 'no rate yet' : '—') : phrase(at, now);
    }
    const done = doneCount(rollout.totalTargetsPerStatus);
    if (!running) {
      this.samples = [];
      return '—';
    }
    this.samples.push({ at: now, done });
    this.samples = this.samples.filter((s) => s.at >= now - WINDOW_MS);
    const first = this.samples[0];
    const rate = (done - first.done) / (now - first.at);
    if (!(rate > 0)) return 'no rate yet';
    const remaining = Math.max(0, rollout.totalTargets - done);
    return `${phrase(now + remaining / rate, now)} (seen from this page)`;
  }
}

const phrase = (at, now) => `${formatTime(at)} (in ${formatDuration(at - now)})`;
