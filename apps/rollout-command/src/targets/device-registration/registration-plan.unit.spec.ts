import type { DeviceInboundMessage } from '@fleetwave/contracts';
import { planRegistration } from './registration-plan';

const created = (controllerId: string, name?: string, attributes?: Record<string, string>): DeviceInboundMessage => ({
  type: 'THING_CREATED',
  controllerId,
  name,
  attributes,
});
const updated = (
  controllerId: string,
  attributes: Record<string, string>,
  mode?: 'merge' | 'replace' | 'remove',
): DeviceInboundMessage => ({ type: 'UPDATE_ATTRIBUTES', controllerId, attributes, mode });
const inputs = (...messages: DeviceInboundMessage[]) => messages.map((message, i) => ({ message, messageId: `m${i}` }));

describe('planRegistration', () => {
  it('folds repeated THING_CREATED of a device: attributes merged in order, the last name given wins', () => {
    const waves = planRegistration(
      inputs(created('a', 'first', { hw: '1', os: 'x' }), created('b'), created('a', undefined, { hw: '2' })),
    );
    expect(waves).toEqual([
      {
        registers: [
          { controllerId: 'a', name: 'first', attributes: { hw: '2', os: 'x' }, messageIds: ['m0', 'm2'] },
          { controllerId: 'b', name: undefined, attributes: undefined, messageIds: ['m1'] },
        ],
        updates: [],
      },
    ]);
  });

  it('composes consecutive attribute updates of a device into one', () => {
    const [wave] = planRegistration(
      inputs(updated('a', { x: '1', y: '2' }), updated('a', { y: '' }, 'remove'), updated('a', { z: '3' })),
    );
    expect(wave.updates).toEqual([
      { controllerId: 'a', replace: false, remove: ['y'], merge: { x: '1', z: '3' }, messageIds: ['m0', 'm1', 'm2'] },
    ]);
  });

  it('keeps a replace as the base of later updates', () => {
    const [wave] = planRegistration(
      inputs(
        updated('a', { old: '1' }, 'remove'),
        updated('a', { k: 'v', w: 'w' }, 'replace'),
        updated('a', { w: '' }, 'remove'),
      ),
    );
    expect(wave.updates[0]).toMatchObject({ replace: true, remove: [], merge: { k: 'v' } });
  });

  it('puts alternating kinds of one device into successive waves, other devices in the first', () => {
    const waves = planRegistration(
      inputs(created('a'), updated('a', { x: '1' }), created('b'), created('a', 'again'), updated('c', { y: '2' })),
    );
    expect(waves.map((w) => [w.registers.map((r) => r.controllerId), w.updates.map((u) => u.controllerId)])).toEqual([
      [['a', 'b'], ['c']],
      [[], ['a']],
      [['a'], []],
    ]);
  });

  it('skips action status messages', () => {
    const status: DeviceInboundMessage = {
      type: 'UPDATE_ACTION_STATUS',
      controllerId: 'a',
      actionId: 1,
      status: 'RUNNING',
    };
    expect(planRegistration([{ message: status, messageId: 'm0' }])).toEqual([]);
  });
});
