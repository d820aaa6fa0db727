import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { ConsumerHealthTracker } from './consumer-health';

/** Just the event surface of a kafkajs consumer that the tracker listens to. */
function fakeConsumer(): { consumer: Consumer; emit: (event: string, payload?: object) => void } {
  const emitter = new EventEmitter();
  const events = {
    CONNECT: 'connect',
    DISCONNECT: 'disconnect',
    GROUP_JOIN: 'group_join',
    HEARTBEAT: 'heartbeat',
    FETCH: 'fetch',
    END_BATCH_PROCESS: 'end_batch_process',
    STOP: 'stop',
    CRASH: 'crash',
  };
  const consumer = { events, on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener) };
  return { consumer: consumer as unknown as Consumer, emit: (event, payload = {}) => emitter.emit(event, { payload }) };
}

describe('ConsumerHealthTracker', () => {
  it('is healthy only while running, joined and recently active', () => {
    let now = 1_000_000;
    const { consumer, emit } = fakeConsumer();
    const health = new ConsumerHealthTracker(consumer, 60_000, () => now);
    expect(health.isHealthy('running')).toBe(false);

    emit('connect');
    emit('group_join');
    expect(health.isHealthy('running')).toBe(true);
    expect(health.isHealthy('stopping')).toBe(false);

    now += 61_000;
    expect(health.isHealthy('running')).toBe(false);
    emit('heartbeat');
    expect(health.isHealthy('running')).toBe(true);

    emit('crash', { error: new Error('broker gone'), restart: true });
    expect(health.isHealthy('running')).toBe(false);
    expect(health.lastError).toBe('broker gone');
    // kafkajs restarts without a new CONNECT; joining the group again is the recovery signal.
    emit('group_join');
    expect(health.isHealthy('running')).toBe(true);
  });
});
