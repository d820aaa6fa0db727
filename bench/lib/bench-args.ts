/** Command line of the fleet benchmark. */
export interface BenchArgs {
  /** As given: `10k`, `100k`, `1m`, or any count such as `2k`. */
  label: string;
  devices: number;
  groups: number;
  smoke: boolean;
  /** Rows of the raw COPY limit: a million from 100k targets up, 100,000 below (labelled in the output). */
  copyRows: number;
  /** Messages of the raw kafkajs limits: two per device, within 20,000 … 200,000. */
  kafkaMessages: number;
}

export function parseSize(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(raw.trim());
  if (!match) throw new Error(`--size must look like 10k, 100k or 1m, got "${raw}"`);
  const factor = { '': 1, k: 1_000, m: 1_000_000 }[match[2].toLowerCase() as '' | 'k' | 'm'];
  const devices = Math.round(Number(match[1]) * factor);
  if (devices < 1) throw new Error(`--size must be at least 1, got "${raw}"`);
  return devices;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  const label = value('--size') ?? '10k';
  const devices = parseSize(label);
  const groups = Number(value('--groups') ?? (devices >= 1_000_000 ? 100 : 10));
  if (!Number.isInteger(groups) || groups < 1 || groups > 500) throw new Error('--groups must be 1 … 500');
  return {
    label,
    devices,
    groups: Math.min(groups, devices),
    smoke: argv.includes('--smoke'),
    copyRows: devices >= 100_000 ? 1_000_000 : 100_000,
    kafkaMessages: Math.min(200_000, Math.max(20_000, 2 * devices)),
  };
}
