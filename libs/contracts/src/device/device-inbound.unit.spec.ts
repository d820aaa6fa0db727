import { parseDeviceInbound, UpdateActionStatusMessage } from './device-inbound';
import { MAX_EPOCH_MILLIS } from './field-rules';

const status = (fields: object) => ({
  type: 'UPDATE_ACTION_STATUS',
  controllerId: 'dev-1',
  actionId: 7,
  status: 'FINISHED',
  ...fields,
});
const created = (fields: object) => ({ type: 'THING_CREATED', controllerId: 'dev-1', ...fields });
const attributes = (fields: object) => ({ type: 'UPDATE_ATTRIBUTES', controllerId: 'dev-1', ...fields });

const deeplyNested = (depth: number): unknown => {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe('parseDeviceInbound', () => {
  it.each([
    ['actionId 1e20', status({ actionId: 1e20 }), /actionId must be an integer from 1 to 9007199254740991/],
    ['fractional actionId', status({ actionId: 1.5 }), /actionId must be an integer/],
    ['actionId 0', status({ actionId: 0 }), /actionId must be an integer from 1/],
    ['actionId as a string', status({ actionId: '7' }), /actionId must be an integer/],
    ['actionId NaN-like', status({ actionId: null }), /actionId must be an integer/],
    [
      'timestamp 1e300',
      status({ timestamp: 1e300 }),
      new RegExp(`timestamp must be an integer from 0 to ${MAX_EPOCH_MILLIS}`),
    ],
    ['negative timestamp', status({ timestamp: -1 }), /timestamp must be an integer from 0/],
    ['fractional timestamp', status({ timestamp: 1.7e12 + 0.5 }), /timestamp must be an integer/],
    ['code beyond int32', status({ code: 2 ** 31 }), /code must be an integer from -2147483648 to 2147483647/],
    ['NUL in a status message', status({ messages: ['ok', 'bad\u0000'] }), /messages must not contain a NUL/],
    [
      'over-long status message',
      status({ messages: ['x'.repeat(513)] }),
      /messages must be shorter than or equal to 512/,
    ],
    ['too many status messages', status({ messages: Array(51).fill('m') }), /messages must contain no more than 50/],
    ['NUL in controllerId', created({ controllerId: 'dev\u0000-1' }), /controllerId must not contain a NUL/],
    [
      'over-long controllerId',
      created({ controllerId: 'd'.repeat(257) }),
      /controllerId must be shorter than or equal to 256/,
    ],
    ['empty controllerId', created({ controllerId: '' }), /controllerId should not be empty/],
    [
      'controllerId with a slash',
      created({ controllerId: 'a/b' }),
      /controllerId must not contain whitespace or slashes/,
    ],
    ['NUL in the name', created({ name: 'n\u0000' }), /name must not contain a NUL/],
    ['over-long name', created({ name: 'n'.repeat(129) }), /name must be shorter than or equal to 128/],
    ['NUL in the tenant', created({ tenant: 'DEFAULT\u0000' }), /tenant must not contain a NUL/],
    [
      'NUL in an attribute value',
      created({ attributes: { hw: 'rev\u0000' } }),
      /attributes value of "hw" must not contain a NUL/,
    ],
    [
      'NUL in an attribute key',
      attributes({ attributes: { 'h\u0000w': 'rev1' } }),
      /attributes key "h\\u0000w" must not contain a NUL/,
    ],
    ['non-string attribute', attributes({ attributes: { hw: 3 } }), /attributes value of "hw" must be a string/],
    ['over-long attribute value', attributes({ attributes: { hw: 'v'.repeat(129) } }), /at most 128 characters/],
    [
      'over-long attribute key',
      attributes({ attributes: { ['k'.repeat(129)]: 'v' } }),
      /must have 1 to 128 characters/,
    ],
    ['attributes as an array', attributes({ attributes: ['a'] }), /attributes must be an object of strings/],
    [
      'too many attributes',
      attributes({ attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v'])) }),
      /at most 100 entries/,
    ],
    ['nesting 100,000 deep', created({ attributes: deeplyNested(100_000) }), /nests deeper than 8 levels/],
    ['a type from the prototype', { type: 'toString', controllerId: 'x' }, /unknown message type "toString"/],
    ['not an object', [1, 2], /not a JSON object/],
  ])('refuses %s', (_case, message, reason) => {
    const parsed = parseDeviceInbound(message);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });

  it('accepts well-formed messages at the edges of every range', () => {
    const good = [
      status({
        actionId: Number.MAX_SAFE_INTEGER,
        timestamp: MAX_EPOCH_MILLIS,
        code: -(2 ** 31),
        messages: ['m'.repeat(512)],
      }),
      status({ actionId: 1, timestamp: 0, code: 2 ** 31 - 1, messages: [] }),
      created({ controllerId: 'd'.repeat(256), name: 'n'.repeat(128), attributes: { ['k'.repeat(128)]: '' } }),
      attributes({
        attributes: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'])),
        mode: 'replace',
      }),
    ];
    for (const message of good) expect(parseDeviceInbound(message)).toMatchObject({ ok: true, value: message });
  });

  it('gives a message of its own class, fields as decoded', () => {
    const parsed = parseDeviceInbound(status({ messages: ['installed'], code: 200 }));
    expect(parsed.ok && parsed.value).toBeInstanceOf(UpdateActionStatusMessage);
    expect(parsed).toEqual({
      ok: true,
      value: expect.objectContaining(status({ messages: ['installed'], code: 200 })),
    });
  });

  it('keeps a __proto__ key a plain field, so the rules of the class still apply', () => {
    const hostile = JSON.parse(
      '{"type":"UPDATE_ACTION_STATUS","controllerId":"dev-1","actionId":0,"status":"FINISHED","__proto__":{}}',
    );
    const parsed = parseDeviceInbound(hostile);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(/actionId must be an integer from 1/);
  });
});
