import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually, uniqueName } from '@fleetwave/testing';
import { BatchConsumerFixture, stepMessages, type Step } from '../testing/batch-consumer.fixture';
import { insertSteps } from '../testing/step-batch.handler';
import type { MessageOutcome } from './message-processor';

const repoRoot = join(__dirname, '..', '..', '..');
const steps = (count: number): Step[] =>
  Array.from({ length: count }, (_, i) => ({ key: 'k', seq: i + 1, amount: String(i + 1) }));

/** Runs the crashing consumer in its own process; resolves with it once it printed `line`. */
function spawnConsumer(args: string[], line: RegExp): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, '../testing/crashing-consumer.child.ts'), ...args],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (line.test(output)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`consumer process exited with ${code} before "${line}"`)));
  });
}

const killed = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('IdempotentConsumer crash and recovery (real Kafka and Postgres, a real process killed)', () => {
  const fx = new BatchConsumerFixture();
  const children: ChildProcess[] = [];

  beforeAll(() => fx.setUp());
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await fx.tearDown();
  });

  it('applies a half-processed batch exactly once after a SIGKILL between commit and offset commit, and resumes quickly', async () => {
    const topic = await fx.topic('crash');
    const groupId = uniqueName('crash_group');
    await fx.publisher.send(topic, stepMessages(steps(30)));

    // The first member commits its first slice of 10, then dies before committing the offset.
    const first = await spawnConsumer([fx.schema, topic, groupId], /committed 9/);
    children.push(first);
    await killed(first);
    const killedAt = Date.now();
    expect((await fx.effectsOf(topic)).map((e) => e.seq)).toEqual(steps(10).map((s) => s.seq));
    expect(await fx.kafka.committedOffsets(groupId, topic)).toEqual(new Map([[0, -1]]));

    // The restarted member joins the same group while the dead one still holds its session.
    const outcomes: MessageOutcome[] = [];
    let firstSettledAt: number | undefined;
    const restartedAt = Date.now();
    await fx.start({
      groupId,
      topics: [topic],
      handleBatch: insertSteps(fx.effects),
      onOutcome: (outcome) => {
        firstSettledAt ??= Date.now();
        outcomes.push(outcome);
      },
    });
    await eventually(() => expect(outcomes).toHaveLength(30), { timeoutMs: 30_000 });
    const recoveryMs = (firstSettledAt ?? Date.now()) - restartedAt;
    process.stdout.write(
      `consuming again ${recoveryMs} ms after the restart of a SIGKILLed member ` +
        `(${(firstSettledAt ?? Date.now()) - killedAt} ms after the kill)\n`,
    );

    expect(outcomes).toEqual([...Array(10).fill('duplicate'), ...Array(20).fill('processed')]);
    const effects = await fx.effectsOf(topic);
    expect(effects.map((e) => e.message_id)).toEqual(steps(30).map((s) => `k-${s.seq}`));
    // Generous bound: the figure itself goes to the report; 15 s means the session timeout is short.
    expect(recoveryMs).toBeLessThan(15_000);
  });

  it('hands partitions over at once when a member stops cleanly (it leaves the group)', async () => {
    const topic = await fx.topic('handover');
    const groupId = uniqueName('handover_group');
    const outcomes: MessageOutcome[] = [];
    const first = await fx.start({ groupId, topics: [topic], handleBatch: insertSteps(fx.effects) });
    await eventually(() => expect(first.isHealthy()).toBe(true), { timeoutMs: 30_000 });
    await first.stop();

    const restartedAt = Date.now();
    let firstSettledAt: number | undefined;
    await fx.start({
      groupId,
      topics: [topic],
      handleBatch: insertSteps(fx.effects),
      onOutcome: (outcome) => {
        firstSettledAt ??= Date.now();
        outcomes.push(outcome);
      },
    });
    await fx.publisher.send(topic, stepMessages(steps(5)));
    await eventually(() => expect(outcomes).toEqual(Array(5).fill('processed')), { timeoutMs: 30_000 });
    const handoverMs = (firstSettledAt ?? Date.now()) - restartedAt;
    process.stdout.write(`consuming again ${handoverMs} ms after the restart of a cleanly stopped member\n`);
    expect(handoverMs).toBeLessThan(15_000);
  });
});
