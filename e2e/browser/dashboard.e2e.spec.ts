import type { Page } from 'playwright-core';
import { rolloutViewStatuses } from '@fleetwave/contracts';
import { eventually, uniqueName } from '@fleetwave/testing';
import { admin, fleet } from '../testing/rollout-steps';
import { launchDashboardBrowser, logIn, type DashboardBrowser } from './dashboard-browser';

/**
 * The dashboard in a real browser against the running cluster: a user logs in, creates a
 * rollout with the form (seeing how many targets its filter matches), starts it, watches it
 * pause on its first group's errors (the audit trail giving the figures, the chart drawing the
 * run) and resumes it, all without reloading the page: every change arrives over the live feed.
 * Screenshots of the paused and the finished rollout go to .artifacts/screenshots/.
 */

const gatewayUrl = admin.gatewayUrl;
const LIVE_TIMEOUT_MS = 90_000;

/** The number a status shows in the detail page's legend. */
const legendCount = async (page: Page, status: string): Promise<number> =>
  Number(await page.locator(`#rollout-panel [data-count=${status}] b`).textContent());

const untilStatus = (page: Page, status: string) =>
  page.locator(`#rollout-status [data-status="${status}"]`).waitFor({ timeout: LIVE_TIMEOUT_MS });

const groupStatuses = (page: Page) =>
  page.locator('#groups .group-row').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.status));

describe('the dashboard at /ui (browser)', () => {
  let browser: DashboardBrowser;

  beforeAll(async () => {
    browser = await launchDashboardBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates a rollout, runs it live through an error pause and a resume, with buttons by permission', async () => {
    const prefix = uniqueName('ui');
    // Group 1 gets the two failing devices and three good ones (40% errors > 20%), group 2 five good ones.
    await fleet(prefix, ['fail', 2], ['succeed', 8]);
    const distributionSetId = await admin.createDistributionSet(prefix);

    const page = await browser.newPage();
    await logIn(page, gatewayUrl, 'admin', 'admin');
    await page.locator('#rollout-rows').waitFor();

    // Create with the form; the filter preview counts the fleet.
    await page.locator('nav a[data-nav=new]').click();
    await page.locator('#create-form input[name=name]').fill(prefix);
    await page.locator('#create-form select[name=distributionSetId]').selectOption(String(distributionSetId));
    await page.locator('#create-form input[name=targetFilterQuery]').fill(`controllerId==${prefix}-*`);
    await page.locator('#filter-preview[data-count="10"]').waitFor();
    expect(await page.locator('#filter-preview').textContent()).toBe('10 targets match');
    await page.locator('#create-form input[name=targetFilterQuery]').fill('controllerId==(');
    await page.locator('#filter-preview.error').waitFor();
    await page.locator('#create-form input[name=targetFilterQuery]').fill(`controllerId==${prefix}-*`);
    await page.locator('#filter-preview[data-count="10"]').waitFor();
    await page.locator('#create-form input[name=amountGroups]').fill('2');
    await page.locator('#create-form input[name=error]').fill('20');
    await page.locator('#create-submit').click();

    await page.waitForURL(/#\/rollouts\/\d+$/);
    const id = Number(/#\/rollouts\/(\d+)$/.exec(page.url())![1]);
    // A mark on the document: a reload would lose it.
    await page.evaluate(() => Object.assign(window, { fleetwaveTestMark: 'same document' }));

    await untilStatus(page, 'ready');
    expect(await page.locator('#total-targets').textContent()).toBe('10');
    expect(await page.locator('#groups .group-row').count()).toBe(2);

    // Start: the first group pauses the rollout on its errors.
    await page.locator('button[data-command=start]').click();
    await untilStatus(page, 'paused');
    await eventually(async () => expect(await groupStatuses(page)).toEqual(['error', 'scheduled']), {
      timeoutMs: LIVE_TIMEOUT_MS,
      description: 'group 1 in error, group 2 waiting',
    });
    await eventually(async () => expect(await legendCount(page, 'error')).toBe(2), {
      timeoutMs: LIVE_TIMEOUT_MS,
      description: 'two errors counted',
    });
    // The audit trail says why, with the figures; the chart has drawn the run so far.
    await eventually(
      async () =>
        expect(await page.locator('#audit .audit-entry').allTextContents()).toEqual(
          expect.arrayContaining([expect.stringMatching(/40%.*paused/)]),
        ),
      { timeoutMs: LIVE_TIMEOUT_MS, description: 'the audit trail tells of the pause and its figures' },
    );
    await page.locator('#chart .uplot canvas').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await page.locator('button[data-command=resume]').isEnabled()).toBe(true);
    expect(await page.locator('button[data-command=start]').isDisabled()).toBe(true);
    await browser.screenshot(page, 'dashboard-paused-on-errors');

    // Resume: group 2 runs, the rollout finishes with exact counts.
    await page.locator('button[data-command=resume]').click();
    await untilStatus(page, 'finished');
    await eventually(
      async () => {
        expect(await legendCount(page, 'finished')).toBe(8);
        expect(await legendCount(page, 'error')).toBe(2);
        expect(await groupStatuses(page)).toEqual(['error', 'finished']);
      },
      { timeoutMs: LIVE_TIMEOUT_MS, description: 'finished counts shown' },
    );
    await eventually(
      async () =>
        expect(await page.locator('#audit .audit-entry').allTextContents()).toEqual(
          expect.arrayContaining([expect.stringMatching(/resumed by admin/)]),
        ),
      { timeoutMs: LIVE_TIMEOUT_MS, description: 'the audit trail tells of the resume' },
    );
    await browser.screenshot(page, 'dashboard-finished');
    // On a phone's width the page reflows instead of scrolling sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await eventually(
      async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390),
      { description: 'no sideways scrolling at 390 px' },
    );
    await browser.screenshot(page, 'dashboard-finished-narrow');
    await page.setViewportSize({ width: 1400, height: 1000 });

    // Everything above arrived without a reload of the page.
    expect(await page.evaluate(() => (window as unknown as { fleetwaveTestMark?: string }).fleetwaveTestMark)).toBe(
      'same document',
    );

    // The list, searched by name, shows it finished, with its bar.
    await page.locator('nav a[data-nav=rollouts]').click();
    await page.locator('#filter-name').fill(prefix.slice(3));
    await page.waitForURL(new RegExp(`name=${prefix.slice(3)}`));
    await eventually(async () => expect(await page.locator('#rollout-rows tr[data-id]').count()).toBe(1), {
      description: 'only the rollout searched for is listed',
    });
    const row = page.locator(`#rollout-rows tr[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('finished');
    expect(await row.locator('.bar-label').textContent()).toBe('10/10');
    await browser.screenshot(page, 'dashboard-list');
    // Its status filter offers the statuses the API shows (the gateway makes that module from the contracts).
    const offered = await page
      .locator('#filter-status option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(['', ...rolloutViewStatuses]);

    // Buttons follow permissions: the operator may not approve, the viewer may only watch.
    const operator = await browser.newPage();
    await logIn(operator, gatewayUrl, 'operator', 'operator');
    await operator.goto(`${gatewayUrl}/ui#/rollouts/${id}`);
    await untilStatus(operator, 'finished');
    const operatorCommands = await operator
      .locator('button[data-command]')
      .evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.command));
    expect(operatorCommands).toEqual(['start', 'pause', 'resume', 'triggerNextGroup', 'stop']);
    expect(await operator.locator('nav a[data-nav=new]').isVisible()).toBe(true);

    const viewer = await browser.newPage();
    await logIn(viewer, gatewayUrl, 'viewer', 'viewer');
    await viewer.goto(`${gatewayUrl}/ui#/rollouts/${id}`);
    await untilStatus(viewer, 'finished');
    expect(await viewer.locator('button[data-command]').count()).toBe(0);
    expect(await viewer.locator('nav a[data-nav=new]').isVisible()).toBe(false);

    expect(browser.pageErrors).toEqual([]);
  });

  it('charts a rollout from per-group points, each group counting with its latest bucket', async () => {
    const page = await browser.newPage();
    await page.goto(`${gatewayUrl}/ui`);
    const counts = (finished: number, error = 0) => ({
      running: 0,
      notstarted: 0,
      scheduled: 0,
      cancelled: 0,
      finished,
      error,
    });
    const progress = {
      rolloutId: 1,
      bucketSeconds: 1,
      series: [
        { at: 1_000, group: 7, counts: counts(1) },
        { at: 2_000, group: 8, counts: counts(2, 1) },
        { at: 3_000, group: 7, counts: counts(4) },
      ],
    };
    // As a string: the test's compiler would turn a dynamic import into a require.
    const columns = (await page.evaluate(`import('/ui/assets/js/progress-chart.js').then((chart) => {
      const answer = ${JSON.stringify(progress)};
      return [chart.chartColumns(answer), chart.chartColumns(answer, 8)];
    })`)) as number[][][];
    // Columns: seconds, finished, error, running, scheduled, cancelled.
    expect(columns[0].slice(0, 3)).toEqual([
      [1, 2, 3],
      [1, 3, 6],
      [0, 1, 1],
    ]);
    expect(columns[1].slice(0, 3)).toEqual([[2], [2], [1]]);

    // A series of one bucket (a rollout rolled up to its minute) is drawn on a two-minute axis.
    const scale = (await page.evaluate(`Promise.all([import('/ui/assets/js/progress-chart.js')]).then(([chart]) => {
      const box = document.createElement('div');
      box.style.width = '600px';
      document.body.append(box);
      const drawn = new chart.ProgressChart(box);
      drawn.show([[1796182260], [1000], [0], [0], [0], [0]]);
      // uPlot commits scales with its next drawn frame.
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      return frame().then(frame).then(() => ({ min: drawn.plot.scales.x.min, max: drawn.plot.scales.x.max }));
    })`)) as { min: number; max: number };
    expect(scale).toEqual({ min: 1796182260 - 60, max: 1796182260 + 60 });
  });

  it('shows a rollout of 500 groups by drawing only the rows in view', async () => {
    const prefix = uniqueName('ui-wide');
    await fleet(prefix, ['hold', 500]);
    const distributionSetId = await admin.createDistributionSet(prefix);
    const created = await admin.expect<{ id: number }>(201, 'POST', '/rollouts', {
      name: prefix,
      distributionSetId,
      targetFilterQuery: `controllerId==${prefix}-*`,
      amountGroups: 500,
    });

    const page = await browser.newPage();
    await logIn(page, gatewayUrl, 'viewer', 'viewer');
    await page.goto(`${gatewayUrl}/ui#/rollouts/${created.id}`);
    await untilStatus(page, 'ready');
    await page.locator('#groups-title', { hasText: 'Groups (500)' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    const drawn = async () =>
      page
        .locator('#groups .group-row')
        .evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.groupIndex)));
    const first = await drawn();
    expect(first[0]).toBe(1);
    expect(first.length).toBeLessThan(50);

    await page.locator('#groups .group-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await eventually(async () => expect((await drawn()).at(-1)).toBe(500), { description: 'the last group drawn' });
    expect((await drawn()).length).toBeLessThan(50);
    expect(await page.locator('[data-group-index="500"] .bar-label').textContent()).toBe('0/1');
    await browser.screenshot(page, 'dashboard-500-groups');
    expect(browser.pageErrors).toEqual([]);
  });
});
