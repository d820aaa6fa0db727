import { checkedPlan } from './schema-migration';

const step = (id: string) => ({ id, up: 'select 1' });

describe('checkedPlan', () => {
  it('numbers the migrations from their ids and defaults the history table', () => {
    const checked = checkedPlan({
      schema: 'inventory',
      migrations: [step('001-create-targets'), step('010-add-tags')],
    });

    expect(checked.table).toBe('schema_migrations');
    expect(checked.migrations.map((m) => [m.id, m.number])).toEqual([
      ['001-create-targets', 1],
      ['010-add-tags', 10],
    ]);
  });

  it.each([
    [[step('002-b'), step('001-a')], /numbered above 2/],
    [[step('001-a'), step('001-b')], /numbered above 1/],
    [[step('1-a')], /not NNN-kebab-name/],
    [[step('001_Create')], /not NNN-kebab-name/],
  ])('rejects ids out of order, repeated or malformed: %j', (migrations, error) => {
    expect(() => checkedPlan({ schema: 'inventory', migrations })).toThrow(error);
  });

  it('rejects a schema or table that is not a plain identifier', () => {
    expect(() => checkedPlan({ schema: 'a; drop', migrations: [] })).toThrow(/plain lower-case identifier/);
    expect(() => checkedPlan({ schema: 'a', table: 'History', migrations: [] })).toThrow(/plain lower-case identifier/);
  });
});
