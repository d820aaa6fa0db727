import { isRegistrationInput, parseRegistrationInput } from './registration-input';

describe('device inbound messages read for registration', () => {
  const read = (value: unknown) => {
    const parsed = parseRegistrationInput(value);
    if (!parsed.ok) throw new Error('registration never refuses a message');
    return parsed.value;
  };

  it('takes a registration and an attribute update, validated', () => {
    const created = read({ type: 'THING_CREATED', controllerId: 'dev-1', attributes: { hw: 'rev1' } });
    const updated = read({ type: 'UPDATE_ATTRIBUTES', controllerId: 'dev-1', attributes: { sw: '2' } });

    expect(created).toMatchObject({ type: 'THING_CREATED', controllerId: 'dev-1', attributes: { hw: 'rev1' } });
    expect(updated).toMatchObject({ type: 'UPDATE_ATTRIBUTES', controllerId: 'dev-1', attributes: { sw: '2' } });
    expect([created, updated].map(isRegistrationInput)).toEqual([true, true]);
  });

  it('skips action status reports, valid or not, and invalid registrations', () => {
    const skipped = [
      { type: 'UPDATE_ACTION_STATUS', controllerId: 'dev-1', actionId: 1, status: 'RUNNING' },
      { type: 'UPDATE_ACTION_STATUS', controllerId: 42, status: 'NOT_A_STATUS' },
      { type: 'THING_CREATED', controllerId: '' },
      { type: 'NO_SUCH_TYPE', controllerId: 'dev-1' },
      'not an object',
    ].map(read);

    expect(skipped).toEqual([null, null, null, null, null]);
    expect(skipped.map(isRegistrationInput)).toEqual([false, false, false, false, false]);
  });
});
