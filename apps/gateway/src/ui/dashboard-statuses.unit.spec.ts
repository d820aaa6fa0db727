import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rolloutViewStatuses } from '@fleetwave/contracts';
import { ROLLOUT_STATUSES_MODULE, UI_PUBLIC_DIR } from './ui-assets';

describe("the dashboard's rollout status filter", () => {
  it('offers exactly the statuses the API shows, in the same order, from the served module', () => {
    const list = /^export const rolloutStatuses = (\[.*\]);\n$/.exec(ROLLOUT_STATUSES_MODULE)?.[1];
    expect(JSON.parse(list ?? 'null')).toEqual([...rolloutViewStatuses]);
    const listView = readFileSync(join(UI_PUBLIC_DIR, 'js', 'list-view.js'), 'utf8');
    expect(listView).toContain("import { rolloutStatuses as statuses } from './rollout-statuses.js';");
    expect(listView).not.toMatch(/const statuses = \[/);
  });
});
