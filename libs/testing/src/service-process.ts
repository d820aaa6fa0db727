import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, servicePid, type ServiceName } from './cluster-services';

/**
 * Process control of the local cluster for the fault-injection suite and the e2e tier, limited
 * to what the scripts started: every pid comes from a pid file under .local, never from a name
 * search.
 */

/** Runs scripts/<name>.sh with the current environment; resolves with its duration, rejects on failure. */
export function runScript(name: string, args: string[], timeoutMs = 180_000): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repositoryRoot(), 'scripts', `${name}.sh`), ...args], {
      cwd: repositoryRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Date.now() - started);
      else reject(new Error(`scripts/${name}.sh ${args.join(' ')} exited with ${code}: ${output.slice(-800)}`));
    });
  });
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function processAlive(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

/** SIGKILL, then wait (bounded) until the process is gone. */
export async function killHard(pid: number, what: string): Promise<void> {
  if (!processAlive(pid)) throw new Error(`${what} (pid ${pid}) is not running`);
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (processAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`${what} (pid ${pid}) survived SIGKILL for 10 s`);
    await sleep(20);
  }
}

/** SIGKILL of a cluster service, by the pid scripts/cluster.sh recorded for it. */
export async function killService(service: ServiceName): Promise<void> {
  const pid = servicePid(service);
  if (pid === undefined) throw new Error(`no pid file for ${service}`);
  await killHard(pid, service);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
