/** Injection tokens of rollout-command's wiring point. */
export const DATABASE_POOL = Symbol('DATABASE_POOL');
export const EVENT_STORE = Symbol('EVENT_STORE');
