import type { EventMetadata } from '@fleetwave/contracts';
import type { MessageContext } from '@fleetwave/messaging';

/** The metadata of the workflow events a message causes. */
export const metadataOf = (context: MessageContext): EventMetadata => ({
  causationId: context.messageId,
  correlationId: context.cloudEvent?.correlationId,
  actor: 'group-orchestrator',
});
