import type { CheckResult, FleetwaveClient } from '@fleetwave/testing';

/** One bad request; `expect` is a status, or '4xx' for any client error. */
interface BadRequest {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** Raw body text, so numbers such as 1e300 reach the server as written. */
  body?: string;
  expect: number | '4xx';
}

/** What a bad rollout is built on: a valid distribution set and a filter that matches a few devices. */
export interface RestFixture {
  distributionSetId: number;
  targetFilterQuery: string;
}

const HUGE_ID = '99999999999999999999';

function rolloutBody(fixture: RestFixture, name: string, extra: string): string {
  return `{"name":${JSON.stringify(name)},"distributionSetId":${fixture.distributionSetId},"targetFilterQuery":${JSON.stringify(fixture.targetFilterQuery)},"amountGroups":1${extra}}`;
}

/** The catalogue of bad REST requests: each must be answered with a client error, never a 2xx or 5xx. */
export function badRequests(fixture: RestFixture, marker: string): BadRequest[] {
  const rollout = (name: string, extra: string, expect: BadRequest['expect'] = '4xx'): BadRequest => ({
    name,
    method: 'POST',
    path: '/rollouts',
    body: rolloutBody(fixture, `${marker}-${name.replace(/\W+/g, '-')}`, extra),
    expect,
  });
  const deep = 100_000;
  return [
    rollout('rollout forcetime 1.5', ',"type":"timeforced","forcetime":1.5'),
    rollout('rollout startAt 1e300', ',"startAt":1e300'),
    rollout('rollout weight 1e20', ',"weight":1e20'),
    {
      name: 'rollout distributionSetId 1e20',
      method: 'POST',
      path: '/rollouts',
      body: `{"name":"${marker}-ds","distributionSetId":1e20,"targetFilterQuery":${JSON.stringify(fixture.targetFilterQuery)}}`,
      expect: '4xx',
    },
    {
      name: 'rollout name with NUL',
      method: 'POST',
      path: '/rollouts',
      body: rolloutBody(fixture, `${marker}\u0000nul`, ''),
      expect: '4xx',
    },
    rollout('rollout description with NUL', `,"description":${JSON.stringify('a\u0000b')}`),
    {
      name: 'target controllerId with NUL',
      method: 'POST',
      path: '/targets',
      body: JSON.stringify([{ controllerId: `${marker}\u0000x` }]),
      expect: '4xx',
    },
    {
      name: 'target description with NUL',
      method: 'POST',
      path: '/targets',
      body: JSON.stringify([{ controllerId: `${marker}-desc`, description: 'a\u0000b' }]),
      expect: '4xx',
    },
    {
      name: 'software module name with NUL',
      method: 'POST',
      path: '/softwaremodules',
      body: JSON.stringify([{ name: `fw\u0000${marker}`, version: '1', type: 'os' }]),
      expect: '4xx',
    },
    {
      name: `JSON nested ${deep} deep`,
      method: 'POST',
      path: '/rollouts',
      body: '['.repeat(deep) + ']'.repeat(deep),
      expect: '4xx',
    },
    rollout('2 MB body', `,"description":"${'x'.repeat(2 * 1024 * 1024)}"`, 413),
    { name: `GET /rollouts/${HUGE_ID}`, method: 'GET', path: `/rollouts/${HUGE_ID}`, expect: '4xx' },
    {
      name: `GET /rollouts/${HUGE_ID}/deploygroups`,
      method: 'GET',
      path: `/rollouts/${HUGE_ID}/deploygroups`,
      expect: '4xx',
    },
    { name: `POST /rollouts/${HUGE_ID}/start`, method: 'POST', path: `/rollouts/${HUGE_ID}/start`, expect: '4xx' },
    { name: `GET /distributionsets/${HUGE_ID}`, method: 'GET', path: `/distributionsets/${HUGE_ID}`, expect: '4xx' },
    { name: 'GET /rollouts/abc', method: 'GET', path: '/rollouts/abc', expect: '4xx' },
    ...['limit=abc', 'limit=-1', 'limit=100000', 'offset=-5', 'limit=1.5'].flatMap((query): BadRequest[] => [
      { name: `GET /targets?${query}`, method: 'GET', path: `/targets?${query}`, expect: '4xx' },
      { name: `GET /rollouts?${query}`, method: 'GET', path: `/rollouts?${query}`, expect: '4xx' },
    ]),
  ];
}

const credentials = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

/** Sends every bad request and checks its answer; a request that throws counts as failed, not fatal. */
export async function badRequestChecks(
  client: FleetwaveClient,
  fixture: RestFixture,
  marker: string,
): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  for (const request of badRequests(fixture, marker)) {
    let status = 0;
    let answer = '';
    try {
      const response = await fetch(`${client.gatewayUrl}/rest/v1${request.path}`, {
        method: request.method,
        headers: { authorization: credentials, 'content-type': 'application/json' },
        body: request.body,
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      answer = (await response.text()).slice(0, 200);
    } catch (error) {
      answer = error instanceof Error ? error.message : String(error);
    }
    const pass = request.expect === '4xx' ? status >= 400 && status < 500 : status === request.expect;
    checks.push({
      check: `${request.name} answered ${request.expect}`,
      pass,
      detail: { status, answer: answer.slice(0, pass ? 120 : 200) },
    });
  }
  checks.push(await defaultPageCheck(client));
  return checks;
}

/** A list without paging parameters answers one bounded page (default 50), not every target. */
async function defaultPageCheck(client: FleetwaveClient): Promise<CheckResult> {
  const response = await client.call<{ content?: unknown[]; total?: number }>('GET', '/targets');
  const size = response.body?.content?.length ?? -1;
  return {
    check: 'GET /targets without paging answers at most 50',
    pass: response.status === 200 && size >= 0 && size <= 50,
    detail: { status: response.status, size, total: response.body?.total },
  };
}
