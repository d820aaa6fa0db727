/** Collects bind parameters; every user-supplied string reaches Postgres as `$n`, never inline. */
export class SqlParams {
  readonly values: string[] = [];

  constructor(private readonly offset: number) {}

  /** Adds a parameter and returns its placeholder with an explicit cast, e.g. `$3::text`. */
  bind(value: string, type: 'text' | 'bigint'): string {
    this.values.push(value);
    return `$${this.offset + this.values.length}::${type}`;
  }
}
