import { eventually, uniqueName } from '@fleetwave/testing';
import { admin, createReadyRollout, fleet, groupStatuses, untilGroups, untilStatus } from './testing/rollout-steps';

type Counts = Record<'running' | 'notstarted' | 'scheduled' | 'cancelled' | 'finished' | 'error', number>;

interface ProgressPoint {
  at: number;
  group?: number;
  counts: Counts;
}

interface AuditEntry {
  at: number;
  subject: 'rollout' | 'group';
  groupId?: number;
  from?: string;
  to: string;
  eventType: string;
  eventId: string;
  actor: string;
  reason: string;
}

const services: [string, number][] = [
  ['gateway', 8080],
  ['rollout-command', 8081],
  ['group-orchestrator', 8082],
  ['action-dispatch', 8083],
  ['reporting', 8084],
  ['device-simulator', 8085],
];

/**
 * Reporting over time, through the public API: a finished five-group rollout with an emergency
 * shutdown and a resume in it has a progress series that ends at its final counts, and an audit
 * that gives, in order, every decision with the figures behind it. Every service exposes its
 * metrics.
 */
describe('progress, audit and metrics of a rollout', () => {
  it('tells how a five-group rollout with an error-pause and a resume got to finished, and why', async () => {
    const prefix = uniqueName('report');
    // Five groups of four in id order: group 2 holds the two failing devices.
    await fleet(prefix, ['succeed', 4], ['fail', 2], ['succeed', 14]);
    const id = await createReadyRollout(prefix, {
      amountGroups: 5,
      successCondition: { condition: 'THRESHOLD', expression: '100' },
      errorCondition: { condition: 'THRESHOLD', expression: '20' },
    });
    await admin.expect(204, 'POST', `/rollouts/${id}/start`);
    await untilStatus(id, 'paused');
    await untilGroups(id, ['finished', 'error', 'scheduled', 'scheduled', 'scheduled']);
    // While it runs (paused counts), progress comes in one-second buckets.
    const paused = await eventually(
      async () => {
        const series = await admin.expect<{ bucketSeconds: number; series: ProgressPoint[] }>(
          200,
          'GET',
          `/rollouts/${id}/progress`,
        );
        expect(series.series.at(-1)?.counts.error).toBeGreaterThanOrEqual(1);
        return series;
      },
      { timeoutMs: 30_000, description: `progress of rollout ${id} showing the failure` },
    );
    expect(paused.bucketSeconds).toBe(1);
    await admin.expect(204, 'POST', `/rollouts/${id}/resume`);
    const finished = await untilStatus(id, 'finished', 90_000);
    expect(finished.totalTargetsPerStatus).toEqual({
      running: 0,
      notstarted: 0,
      scheduled: 0,
      cancelled: 0,
      finished: 18,
      error: 2,
    });
    expect(await groupStatuses(id)).toEqual(['finished', 'error', 'finished', 'finished', 'finished']);
    const groupIds = (await admin.deployGroups(id)).map((g) => g.id);

    // The audit: every decision in order, each with its reason.
    const audit = await eventually(
      async () => {
        const entries = await admin.expect<AuditEntry[]>(200, 'GET', `/rollouts/${id}/audit`);
        expect(entries.some((e) => e.eventType === 'RolloutFinished.v1')).toBe(true);
        return entries;
      },
      { timeoutMs: 30_000, description: `audit of rollout ${id} up to finished` },
    );
    expect(audit.map((e) => e.at)).toEqual([...audit.map((e) => e.at)].sort((a, b) => a - b));
    const rollout = audit.filter((e) => e.subject === 'rollout').map((e) => e.to);
    expect(rollout).toEqual(expect.arrayContaining(['creating', 'ready', 'running', 'paused', 'finished']));
    expect(rollout.indexOf('paused')).toBeLessThan(rollout.lastIndexOf('running'));
    const failed = audit.find((e) => e.subject === 'group' && e.groupId === groupIds[1] && e.to === 'error');
    // The first failure of four (25%) already passes 20%: the group fails with the figures of that moment.
    expect(failed?.reason).toMatch(/^group 2: error (25|50)(\.0)?% > 20%/);
    const pause = audit.find((e) => e.subject === 'rollout' && e.to === 'paused');
    expect(pause?.reason).toMatch(/paused/);
    const resumed = audit.find((e) => e.subject === 'rollout' && e.from === 'paused' && e.to === 'running');
    expect(resumed?.actor).toBe('admin');
    // Each later group started for a reason: the one before it complete, or the resume.
    for (const groupId of groupIds.slice(2)) {
      const started = audit.find((e) => e.subject === 'group' && e.groupId === groupId && e.to === 'running');
      expect(started?.reason).toEqual(expect.any(String));
    }
    expect(new Set(audit.map((e) => e.eventId)).size).toBe(audit.length);

    // Progress over time: once finished, rolled up to minutes; ordered, the last bucket at the final counts.
    const progress = await eventually(
      async () => {
        const rolled = await admin.expect<{ rolloutId: number; bucketSeconds: number; series: ProgressPoint[] }>(
          200,
          'GET',
          `/rollouts/${id}/progress`,
        );
        expect(rolled.bucketSeconds).toBe(60);
        return rolled;
      },
      { timeoutMs: 30_000, description: `progress of rollout ${id} rolled up to minutes` },
    );
    expect(progress.rolloutId).toBe(id);
    expect(progress.series.length).toBeGreaterThanOrEqual(1);
    const times = progress.series.map((p) => p.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const last = progress.series[progress.series.length - 1].counts;
    expect({ finished: last.finished, error: last.error, running: last.running }).toEqual({
      finished: 18,
      error: 2,
      running: 0,
    });
    const perGroup = await admin.expect<{ series: ProgressPoint[] }>(
      200,
      'GET',
      `/rollouts/${id}/progress?group=${groupIds[1]}`,
    );
    expect(perGroup.series.at(-1)?.counts).toMatchObject({ finished: 2, error: 2 });

    // A failing device's one action of the rollout, in error; an unknown device's actions are a 404.
    const failing = await admin.expect<{ content: { controllerId: string }[] }>(
      200,
      'GET',
      `/targets?q=controllerId==${prefix}-1fail*&limit=1`,
    );
    const device = failing.content[0].controllerId;
    const actions = await eventually(
      async () => {
        const page = await admin.expect<{ total: number; content: { detailStatus: string; rollout?: number }[] }>(
          200,
          'GET',
          `/targets/${device}/actions`,
        );
        expect(page.content.map((a) => a.detailStatus)).toEqual(['error']);
        return page;
      },
      { timeoutMs: 30_000, description: `actions of ${device}` },
    );
    expect(actions.total).toBe(1);
    const unknown = await admin.expect<{ errorCode: string }>(404, 'GET', `/targets/${prefix}-nobody/actions`);
    expect(unknown.errorCode).toBe('hawkbit.server.error.repo.entitiyNotFound');
  });

  it('exposes Prometheus metrics on every service', async () => {
    for (const [service, port] of services) {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect({ service, status: response.status }).toEqual({ service, status: 200 });
      const text = await response.text();
      expect(text).toContain('fleetwave_http_request_duration_seconds');
      expect(text).toContain('process_cpu_seconds_total');
      if (service !== 'gateway' && service !== 'device-simulator') {
        expect(text).toContain('fleetwave_consumer_lag{');
        expect(text).toContain('fleetwave_consumer_messages_processed_total{');
      }
    }
    const reporting = await (await fetch('http://127.0.0.1:8084/metrics')).text();
    expect(reporting).toMatch(/fleetwave_reporting_rollouts\{[^}]*state="finished"[^}]*\} [1-9]/);
    expect(reporting).toMatch(/fleetwave_reporting_actions\{[^}]*status="finished"[^}]*\} [1-9]/);
    const lag = (await (await fetch('http://127.0.0.1:8084/health/lag')).json()) as { consumers: unknown[] };
    expect(lag.consumers.length).toBeGreaterThan(0);
  });
});
