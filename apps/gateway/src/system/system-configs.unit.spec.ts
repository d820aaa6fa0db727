import type { ArgumentMetadata } from '@nestjs/common';
import {
  fromConfigEntryMessage,
  renderSystemConfigs,
  settingsOf,
  SystemConfigValueDto,
  toConfigEntryMessage,
} from '@fleetwave/contracts';
import { HawkbitHttpError, HawkbitValidationPipe } from '@fleetwave/platform';

const valueBody: ArgumentMetadata = { type: 'body', metatype: SystemConfigValueDto };
const parse = (raw: unknown) => new HawkbitValidationPipe().transform(raw, valueBody);

describe('tenant settings at the gateway', () => {
  it('takes a value of any type, and refuses a body without one (or null) before asking rollout-command', async () => {
    for (const value of [false, 0, 'text']) expect(await parse({ value })).toEqual({ value });
    for (const raw of [{}, { value: null }]) {
      const refused = await parse(raw).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(HawkbitHttpError);
      expect((refused as HawkbitHttpError).getStatus()).toBe(400);
    }
  });

  it('reads a batch update as its settings, none from anything but an object', () => {
    expect(settingsOf({ 'rollout.approval.enabled': true, 'user.confirmation.flow.enabled': false })).toEqual([
      ['rollout.approval.enabled', true],
      ['user.confirmation.flow.enabled', false],
    ]);
    for (const body of [[], null, 'x', undefined]) expect(settingsOf(body)).toEqual([]);
  });

  it("renders the list as hawkBit's object by key: defaults without audit fields, a set value with them", () => {
    const entries = [
      { key: 'rollout.approval.enabled', valueJson: 'false', global: true },
      {
        key: 'user.confirmation.flow.enabled',
        valueJson: 'true',
        global: false,
        createdAt: 1,
        createdBy: 'ann',
        lastModifiedAt: 2,
        lastModifiedBy: 'bo',
      },
    ].map(fromConfigEntryMessage);
    expect(renderSystemConfigs(entries)).toEqual({
      'rollout.approval.enabled': {
        value: false,
        global: true,
        _links: { self: { href: '/rest/v1/system/configs/rollout.approval.enabled' } },
      },
      'user.confirmation.flow.enabled': {
        value: true,
        global: false,
        createdAt: 1,
        createdBy: 'ann',
        lastModifiedAt: 2,
        lastModifiedBy: 'bo',
        _links: { self: { href: '/rest/v1/system/configs/user.confirmation.flow.enabled' } },
      },
    });
    expect(entries.map(toConfigEntryMessage)[0]).toEqual({
      key: 'rollout.approval.enabled',
      valueJson: 'false',
      global: true,
    });
  });
});
