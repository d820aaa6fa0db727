import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rolloutViewStatuses } from '@fleetwave/contracts';
import { UI_PUBLIC_DIR } from './ui-assets';

describe("the dashboard's rollout status filter", () => {
  it('offers exactly the statuses the API shows, in the same order', () => {
    const source = readFileSync(join(UI_PUBLIC_DIR, 'js', 'list-view.js'), 'utf8');
    const list = /const statuses = \[([^\]]*)\]/.exec(source)?.[1];
    expect(list).toBeDefined();
    const offered = [...(list ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect(offered).toEqual([...rolloutViewStatuses]);
  });
});
