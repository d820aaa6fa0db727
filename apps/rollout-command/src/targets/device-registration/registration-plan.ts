import type { DeviceInboundMessage } from '@fleetwave/contracts';

type Attributes = Record<string, string>;

/** THING_CREATED messages of one device folded into one upsert: attributes merged in order, last name wins. */
export interface RegisterTarget {
  controllerId: string;
  name?: string;
  attributes?: Attributes;
  messageIds: string[];
}

/**
 * UPDATE_ATTRIBUTES messages of one device folded into one update. Applied to the stored
 * attributes `old`, the result is `replace ? merge : (old - remove) || merge`; each mode keeps
 * that form (merge: merge ∪ a; replace: a; remove K: drop K from merge and, unless replaced, from old).
 */
export interface UpdateAttributes {
  controllerId: string;
  replace: boolean;
  remove: string[];
  merge: Attributes;
  messageIds: string[];
}

/** Effects that can run set-based together: at most one per device, so their order does not matter. */
export interface RegistrationWave {
  registers: RegisterTarget[];
  updates: UpdateAttributes[];
}

type Step = ({ kind: 'register' } & RegisterTarget) | ({ kind: 'update' } & UpdateAttributes);

export interface RegistrationInput {
  message: DeviceInboundMessage;
  messageId: string;
}

/**
 * Plans a Kafka batch of registration messages as waves of set-based statements. Consecutive
 * messages of one device of the same kind fold into one effect (the result is the same as
 * applying them one by one); wave i holds each device's i-th effect, so per-device order holds.
 * A batch where no device alternates between the two kinds is a single wave.
 */
export function planRegistration(inputs: RegistrationInput[]): RegistrationWave[] {
  const byDevice = new Map<string, Step[]>();
  for (const { message, messageId } of inputs) {
    if (message.type !== 'THING_CREATED' && message.type !== 'UPDATE_ATTRIBUTES') continue;
    const steps = byDevice.get(message.controllerId) ?? [];
    byDevice.set(message.controllerId, steps);
    const last = steps[steps.length - 1];
    if (message.type === 'THING_CREATED') {
      if (last?.kind === 'register') {
        last.name = message.name ?? last.name;
        if (message.attributes) last.attributes = { ...last.attributes, ...message.attributes };
        last.messageIds.push(messageId);
      } else {
        steps.push({
          kind: 'register',
          controllerId: message.controllerId,
          name: message.name,
          attributes: message.attributes && { ...message.attributes },
          messageIds: [messageId],
        });
      }
      continue;
    }
    const update: { kind: 'update' } & UpdateAttributes =
      last?.kind === 'update'
        ? last
        : { kind: 'update', controllerId: message.controllerId, replace: false, remove: [], merge: {}, messageIds: [] };
    if (update !== last) steps.push(update);
    applyMode(update, message.mode ?? 'merge', message.attributes);
    update.messageIds.push(messageId);
  }

  const waves: RegistrationWave[] = [];
  for (const steps of byDevice.values()) {
    steps.forEach((step, i) => {
      const wave = (waves[i] ??= { registers: [], updates: [] });
      const { kind, ...effect } = step;
      if (kind === 'register') wave.registers.push(effect as RegisterTarget);
      else wave.updates.push(effect as UpdateAttributes);
    });
  }
  return waves;
}

function applyMode(update: UpdateAttributes, mode: 'merge' | 'replace' | 'remove', attributes: Attributes): void {
  if (mode === 'merge') {
    update.merge = { ...update.merge, ...attributes };
  } else if (mode === 'replace') {
    update.replace = true;
    update.remove = [];
    update.merge = { ...attributes };
  } else {
    const keys = Object.keys(attributes);
    update.merge = Object.fromEntries(Object.entries(update.merge).filter(([key]) => !keys.includes(key)));
    if (!update.replace) update.remove = [...new Set([...update.remove, ...keys])];
  }
}
