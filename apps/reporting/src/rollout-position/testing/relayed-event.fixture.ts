import type { BatchItem } from '@fleetwave/messaging';

/** A consumed event as the relay publishes it: subject = its stream, with the stream revision. */
export const relayed = (stream: string, revision: number | undefined, n: number): BatchItem<unknown> => ({
  message: {},
  context: {
    topic: 'rollout.events.v1',
    partition: 0,
    offset: String(n),
    key: null,
    headers: {},
    messageId: `m-${stream}-${n}-${revision ?? 'none'}`,
    cloudEvent: {
      id: `m-${n}`,
      type: 'RolloutPaused.v1',
      source: 'test',
      time: '',
      subject: stream,
      streamRevision: revision,
    },
  },
});
