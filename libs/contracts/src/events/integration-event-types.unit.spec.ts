import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { integrationEventTypes } from './integration-event-types';

describe('the AsyncAPI document', () => {
  const document = readFileSync(join(__dirname, '../../asyncapi/fleetwave.asyncapi.yaml'), 'utf8');
  const documented = new Set([...document.matchAll(/^\s+name: (\S+)$/gm)].map((m) => m[1]));

  it('describes every integration event type', () => {
    expect(integrationEventTypes.filter((type) => !documented.has(type))).toEqual([]);
  });

  it('lists each documented event on a channel', () => {
    for (const type of integrationEventTypes) {
      const message = type.replace(/\.v\d+$/, '');
      expect(document).toContain(`$ref: '#/components/messages/${message}'`);
    }
  });
});
