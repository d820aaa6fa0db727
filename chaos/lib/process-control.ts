import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDir, runScript, sleep } from '@fleetwave/testing';

/**
 * Process control of the local cluster, limited to what the scripts started: every pid comes
 * from a pid file under .local (or Postgres' own postmaster.pid), never from a name search. The
 * service kill and the script runner are shared with the e2e tier (@fleetwave/testing).
 */
export { killHard, killService, processAlive, runScript, sleep } from '@fleetwave/testing';

/** The local Kafka broker's pid, from scripts/kafka.sh's pid file. */
export function kafkaPid(): number {
  const pid = Number(readFileSync(join(localDir(), 'kafka', 'kafka.pid'), 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error('no Kafka pid file');
  return pid;
}

/** The postmaster's pid: the first line of postmaster.pid in the cluster's data directory. */
export function postmasterPid(dataDirectory: string): number {
  const pid = Number(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0].trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster.pid in ${dataDirectory}`);
  return pid;
}

/** `pg_ctl stop -m immediate` on the local cluster, as the postgres OS user when running as root. */
export function pgCtlImmediate(dataDirectory: string): Promise<void> {
  const pgCtl = '/usr/lib/postgresql/15/bin/pg_ctl';
  const args = ['-D', dataDirectory, '-m', 'immediate', '-w', 'stop'];
  const [command, argv] =
    process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', pgCtl, ...args]] : [pgCtl, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pg_ctl immediate stop: ${code} ${stderr}`)),
    );
  });
}

/** Retries a script a few times: a crashed Postgres may hold its port or shared memory for a moment. */
export async function runScriptUntilOk(name: string, args: string[], attempts = 5): Promise<number> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await runScript(name, args);
      return Date.now() - started;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(2_000);
    }
  }
}
