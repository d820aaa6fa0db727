import { round } from './stats';

/**
 * One measured figure with what bounds it: `limit` is this machine's own figure for the same
 * work (raw COPY, raw Kafka), `ratioToLimit` = value / limit, and `goal` is the target.
 */
export interface Figure {
  figure: string;
  value: number | undefined;
  unit: string;
  better: 'lower' | 'higher';
  limit?: number;
  limitOf?: string;
  ratioToLimit?: number;
  goal?: number;
  meetsGoal?: boolean;
  note?: string;
}

export interface FigureInput {
  figure: string;
  value: number | undefined;
  unit: string;
  better: 'lower' | 'higher';
  limit?: { value: number | undefined; of: string };
  goal?: number;
  note?: string;
}

export function figure(input: FigureInput): Figure {
  const value = round(input.value, input.unit === 'ms' ? 0 : 1);
  const out: Figure = { figure: input.figure, value, unit: input.unit, better: input.better };
  if (input.limit?.value !== undefined && Number.isFinite(input.limit.value)) {
    out.limit = round(input.limit.value, 1);
    out.limitOf = input.limit.of;
    if (value !== undefined && input.limit.value > 0) out.ratioToLimit = round(value / input.limit.value, 3);
  }
  if (input.goal !== undefined) {
    out.goal = input.goal;
    if (value !== undefined) out.meetsGoal = input.better === 'lower' ? value <= input.goal : value >= input.goal;
  }
  if (input.note) out.note = input.note;
  return out;
}

/** The readable form, for stderr: one row per figure. */
export function figureTable(title: string, figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.figure,
    `${f.value ?? '-'} ${f.unit}`,
    f.limit === undefined ? '' : `${f.limit} (${f.limitOf})`,
    f.ratioToLimit === undefined ? '' : `${f.ratioToLimit}`,
    f.goal === undefined ? '' : `${f.better === 'lower' ? '<=' : '>='} ${f.goal} ${f.meetsGoal ? 'ok' : 'MISSED'}`,
  ]);
  const header = ['figure', 'value', 'machine limit', 'ratio', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [`== ${title}`, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
