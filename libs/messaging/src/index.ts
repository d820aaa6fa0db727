// Public API of @fleetwave/messaging: Kafka adapters shared by every service.
export { consoleLogger, silentLogger, errorMessage, type MessagingLogger } from './messaging-logger';
export { createKafkaClient, kafkaLogCreator, type KafkaClientOptions } from './kafka-client.factory';
export { ensureTopics, type EnsureTopicsOptions, type EnsureTopicsResult } from './ensure-topics';
export {
  KafkaPublisher,
  MessageTooLargeError,
  defaultProduceLimits,
  encodeValue,
  encodedSize,
  splitIntoRequests,
  type KafkaPublisherOptions,
  type ProduceLimits,
  type OutgoingMessage,
  type TopicMessages,
} from './kafka-publisher';
export { backoffDelay, defaultBackoff, sleep, type BackoffPolicy } from './backoff';
export { messageContextOf, type MessageContext } from './inbound-message';
export { DeadLetterError, DeadLetterHeaders, deadLetterOf } from './dead-letter';
export type { HandlerContext, MessageHandler, MessageOutcome, MessageParser } from './message-processor';
export type { ConsumerHealth, ConsumerState, RetryingMessage } from './consumer-health';
export type { BatchContext, BatchHandler, BatchItem, BatchResult, RejectedItem } from './batch-handler';
export { classifyError, failureReason, type ErrorClass } from './error-classifier';
export { defaultSliceLimits, type SliceLimits } from './batch-slicer';
export { IdempotentConsumer, runIdempotentConsumer } from './idempotent-consumer';
export type { CommittedSlice, IdempotentConsumerOptions } from './idempotent-consumer.options';
export { installShutdownHooks, type Closeable, type ShutdownHookOptions } from './shutdown-hooks';
export { waitWithHeartbeats, withHeartbeats, type BatchControls } from './batch-heartbeat';
export { ConsumerLagProbe, type ConsumerLagProbeOptions, type LagTarget } from './consumer-lag.probe';
