import { fromCloudEventHeaders, type RecordedEvent } from '@fleetwave/contracts';
import { relayMessageFor } from './relay-message.mapper';

describe('relayMessageFor', () => {
  const event: RecordedEvent = {
    id: '6f1c2a4e-8b0d-4a7e-9c3f-1d2e3f4a5b6c',
    type: 'RolloutStarted.v1',
    data: { rolloutId: 'r-42' },
    metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'ann' },
    streamName: 'rollout-r-42',
    revision: 3,
    position: 17n,
    createdAt: new Date('2025-06-01T12:00:00.000Z'),
  };

  it('carries { type, data, metadata } as the value and CloudEvents attributes as headers', () => {
    const message = relayMessageFor(event, '/fleetwave/rollout-command');
    expect(JSON.parse(message.value)).toEqual({ type: event.type, data: event.data, metadata: event.metadata });
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'RolloutStarted.v1',
      ce_source: '/fleetwave/rollout-command',
      ce_subject: 'rollout-r-42',
      ce_streamrevision: String(event.revision),
      ce_time: '2025-06-01T12:00:00.000Z',
      'content-type': 'application/json',
      'correlation-id': 'corr-1',
      'causation-id': 'cause-1',
    });
    expect(message).not.toHaveProperty('key');
  });

  it('carries the stream revision, which the CloudEvents reader gives back', () => {
    const headers = relayMessageFor({ ...event, revision: 17 }, 'src').headers;
    expect(fromCloudEventHeaders(headers)).toMatchObject({ subject: 'rollout-r-42', streamRevision: 17 });
    expect(fromCloudEventHeaders({ ...headers, ce_streamrevision: 'x' })).not.toHaveProperty('streamRevision');
  });

  it('sets the key the caller chose and omits absent correlation headers', () => {
    const message = relayMessageFor({ ...event, metadata: {} }, 'src', 'r-42');
    expect(message.key).toBe('r-42');
    expect(message.headers).not.toHaveProperty('correlation-id');
    expect(message.headers).not.toHaveProperty('causation-id');
  });
});
