import { spawnSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { localDir, processMemoryKb, serviceNames, servicePid, type ServiceName } from '@fleetwave/testing';

/** Peak resident memory of every running service since it started (VmHWM), in MiB. */
export function peakRssMb(): Partial<Record<ServiceName, number>> {
  const peaks: Partial<Record<ServiceName, number>> = {};
  for (const service of serviceNames) {
    const pid = servicePid(service);
    const memory = pid === undefined ? undefined : processMemoryKb(pid);
    if (memory) peaks[service] = Math.round(memory.peakRssKb / 1024);
  }
  return peaks;
}

export interface DiskUse {
  postgresDatabaseBytes: number;
  postgresWalBytes: number;
  kafkaDataBytes: number;
  /** Bytes still free on the file system that holds the local data. */
  freeBytes: number;
}

/** What Postgres (database + WAL) and the local Kafka broker's log directory take on disk. */
export async function diskUse(pool: Pool): Promise<DiskUse> {
  const { rows } = await pool.query<{ db: string; wal: string }>(
    `select pg_database_size(current_database()) as db, (select coalesce(sum(size), 0) from pg_ls_waldir()) as wal`,
  );
  const kafkaDir = join(localDir(), 'kafka', 'data');
  // Allocated blocks, not apparent sizes (Kafka's index files are sparse). The broker may delete
  // segments while du walks, which makes du exit non-zero with a usable total.
  const du = spawnSync('du', ['-sk', kafkaDir], { encoding: 'utf8' });
  const kafkaDataBytes = Number(du.stdout?.split('\t')[0] || NaN) * 1024;
  const fs = statfsSync(localDir());
  return {
    postgresDatabaseBytes: Number(rows[0].db),
    postgresWalBytes: Number(rows[0].wal),
    kafkaDataBytes,
    freeBytes: fs.bavail * fs.bsize,
  };
}
