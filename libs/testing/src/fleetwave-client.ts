import { checkResponse } from './response-checks';

/** A small client of the public APIs (gateway REST and the device simulator), for the demo and e2e tests. */
export interface ClientOptions {
  gatewayUrl?: string;
  simulatorUrl?: string;
  user?: string;
  password?: string;
  /** An API token: sent as `Authorization: Bearer`, instead of the user's Basic credentials. */
  token?: string;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

export interface RolloutView {
  id: number;
  name: string;
  status: string;
  totalTargets: number;
  totalTargetsPerStatus: Record<'running' | 'notstarted' | 'scheduled' | 'cancelled' | 'finished' | 'error', number>;
}

export interface GroupView {
  id: number;
  name: string;
  status: string;
  totalTargets: number;
  totalTargetsPerStatus: RolloutView['totalTargetsPerStatus'];
}

export class FleetwaveClient {
  readonly gatewayUrl: string;
  readonly simulatorUrl: string;
  private readonly auth: string;

  constructor(options: ClientOptions = {}) {
    this.gatewayUrl = options.gatewayUrl ?? process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
    this.simulatorUrl = options.simulatorUrl ?? process.env.SIMULATOR_URL ?? 'http://127.0.0.1:8085';
    this.auth = options.token
      ? `Bearer ${options.token}`
      : `Basic ${Buffer.from(`${options.user ?? 'admin'}:${options.password ?? 'admin'}`).toString('base64')}`;
  }

  /** Any Management API call; returns status and parsed body without throwing on 4xx/5xx. */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.gatewayUrl}/rest/v1${path}`, {
      method,
      headers: { authorization: this.auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const parsed = (
      text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text || undefined
    ) as T;
    await checkResponse(this.gatewayUrl, method, `/rest/v1${path}`, response.status, parsed);
    return { status: response.status, body: parsed };
  }

  /** A call that must answer `expected`; anything else throws with the response body. */
  async expect<T = unknown>(expected: number, method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.call<T>(method, path, body);
    if (response.status !== expected) {
      throw new Error(
        `${method} ${path}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}`,
      );
    }
    return response.body;
  }

  /** Registers `prefix-<start>…` with the simulator (numbering from `start`, default 1). */
  async registerDevices(
    prefix: string,
    count: number,
    behaviour: 'succeed' | 'fail' | 'hold' | 'reject-cancel' | 'confirm' | 'deny' = 'succeed',
    start?: number,
    attributes?: Record<string, string>,
  ): Promise<void> {
    const response = await fetch(`${this.simulatorUrl}/simulator/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prefix, count, behaviour, start, attributes }),
    });
    if (response.status !== 201)
      throw new Error(`device registration failed: ${response.status} ${await response.text()}`);
  }

  async countTargets(query: string): Promise<number> {
    const page = await this.expect<{ total: number }>(200, 'GET', `/targets?limit=1&q=${encodeURIComponent(query)}`);
    return page.total;
  }

  /** Creates a software module and a distribution set holding it; names are made unique by `suffix`. */
  async createDistributionSet(suffix: string): Promise<number> {
    const [module] = await this.expect<{ id: number }[]>(201, 'POST', '/softwaremodules', [
      { name: `firmware-${suffix}`, version: '1.0.0', type: 'os', vendor: 'fleetwave' },
    ]);
    const [set] = await this.expect<{ id: number }[]>(201, 'POST', '/distributionsets', [
      { name: `release-${suffix}`, version: '1.0.0', type: 'os', modules: [{ id: module.id }] },
    ]);
    return set.id;
  }

  rollout(id: number): Promise<RolloutView> {
    return this.expect<RolloutView>(200, 'GET', `/rollouts/${id}`);
  }

  /** The rollout's deployment groups in their order (up to 500, the largest page). */
  async deployGroups(id: number): Promise<GroupView[]> {
    const page = await this.expect<{ content: GroupView[] }>(200, 'GET', `/rollouts/${id}/deploygroups?limit=500`);
    return page.content;
  }
}
