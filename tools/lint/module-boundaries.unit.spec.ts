import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The module-boundary rules are only worth having if they fail: each case lints a probe file
 * placed (virtually) inside a project and expects the violation the rule exists for.
 */
const root = `${__dirname}/../..`;
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const reports = mkdtempSync(join(tmpdir(), 'boundaries-'));
let probes = 0;

// ESLint runs as its own process: its flat config is an ES module, which Jest's sandbox cannot load.
async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const report = join(reports, `${probes++}.json`);
  const args = ['--stdin', '--stdin-filename', filePath, '--format', 'json', '--output-file', report];
  spawnSync(`${root}/node_modules/.bin/eslint`, args, { cwd: root, input: code, env, timeout: 110_000 });
  const [result] = JSON.parse(readFileSync(report, 'utf8')) as { messages: { ruleId: string | null }[] }[];
  return result.messages.map((m) => m.ruleId ?? 'parse-error');
}

// The boundary rule silently skips itself when Nx has no cached project graph (a fresh clone).
beforeAll(() => {
  execFileSync(`${root}/node_modules/.bin/nx`, ['show', 'projects'], {
    cwd: root,
    env,
    stdio: 'pipe',
    timeout: 110_000,
  });
}, 120_000);

describe('module boundaries', () => {
  jest.setTimeout(120_000);

  it('forbids contracts from depending on an adapter library', async () => {
    const ids = await ruleIdsFor(
      'libs/contracts/src/boundary-probe.ts',
      "import { PostgresEventStore } from '@fleetwave/event-store';\nexport const probe = PostgresEventStore;\n",
    );
    expect(ids).toContain('@nx/enforce-module-boundaries');
  });

  it('forbids one service from importing another service', async () => {
    const ids = await ruleIdsFor(
      'apps/reporting/src/boundary-probe.ts',
      "import { AppModule } from '../../gateway/src/app.module';\nexport const probe = AppModule;\n",
    );
    expect(ids).toContain('@nx/enforce-module-boundaries');
  });

  it('forbids framework and driver imports in domain code', async () => {
    const ids = await ruleIdsFor(
      'apps/group-orchestrator/src/workflow/domain/boundary-probe.ts',
      "import { Pool } from 'pg';\nexport const probe = Pool;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('accepts an app depending on a shared library', async () => {
    const ids = await ruleIdsFor(
      'apps/reporting/src/boundary-probe.ts',
      "import { Topics } from '@fleetwave/contracts';\nexport const probe = Topics;\n",
    );
    expect(ids).toEqual([]);
  });
});
