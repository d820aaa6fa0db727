/**
 * The device simulator at fleet size: the real service as a child process on private topics of
 * the local broker, registering through its HTTP API, killed with SIGKILL and started again.
 * Registration rate, answer rate after the restart, the service's CPU and peak RSS. Prints one
 * JSON line; exits non-zero when any device was not announced or not answered exactly as its
 * behaviour says.
 *   node -r @swc-node/register apps/device-simulator/bench/fleet.bench.ts [devices=100000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetKafkaFixture } from '../testing/fleet-kafka.fixture';
import { runFleetScenario } from '../testing/fleet-scenario';
import { childProcessSimulator } from '../testing/simulator-drivers';

async function main(): Promise<void> {
  const devices = Number(process.argv[2] ?? 100_000);
  const fx = new FleetKafkaFixture();
  const dir = mkdtempSync(join(tmpdir(), 'device-simulator-'));
  try {
    await fx.setUp();
    const run = await runFleetScenario(fx, devices, dir, childProcessSimulator);
    const exact =
      run.read === run.expectedRecords &&
      run.created.size === devices &&
      !run.wrong.length &&
      !run.strangers.length &&
      !run.split.length;
    console.log(JSON.stringify({ benchmark: 'device-simulator', ...run.figures, exact }));
    if (!exact) {
      console.error(
        JSON.stringify({
          read: run.read,
          created: run.created.size,
          wrong: run.wrong,
          strangers: run.strangers,
          split: run.split,
        }),
      );
      process.exitCode = 1;
    }
  } finally {
    await fx.tearDown();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
