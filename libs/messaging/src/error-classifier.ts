import { sqlState } from '@fleetwave/platform';
import { DeadLetterError } from './dead-letter';

/**
 * How a processing failure is treated: `permanent` input can never succeed and is
 * dead-lettered; `transient` failures (the database or broker went away, a concurrency
 * conflict) are retried without skipping; `unknown` ones are retried a few times, then
 * treated as permanent so that no single message can wedge a partition.
 */
export type ErrorClass = 'permanent' | 'transient' | 'unknown';

// Postgres classes and codes that are a property of the data, not of the moment.
const permanentSqlStates = new Set(['23502', '23514']);
const permanentSqlClasses = ['22'];
// Connection exceptions (08), insufficient resources (53), operator intervention (57P01-57P03).
const transientSqlStates = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '55P03', '57014']);
const transientSqlClasses = ['08', '53'];

const transientSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

// Codes of errors that look like a rule violation but mean "try again later".
const transientRuleCodes = new Set(['EVENT_STORE.WRONG_EXPECTED_VERSION']);

// pg and pg-pool report a lost or unobtainable connection only in the message.
const transientMessages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /connection (?:is )?closed/i,
];

/** A stable rule-violation code of the application: `AREA.REASON`, upper case. */
const ruleCode = /^[A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+$/;

function fieldOf(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/** Classifies a failure of parsing, a handler or the transaction around it. */
export function classifyError(error: unknown): ErrorClass {
  if (error instanceof DeadLetterError) return 'permanent';
  const state = sqlState(error);
  if (state) {
    if (transientSqlStates.has(state) || transientSqlClasses.includes(state.slice(0, 2))) return 'transient';
    if (permanentSqlStates.has(state) || permanentSqlClasses.includes(state.slice(0, 2))) return 'permanent';
    return 'unknown';
  }
  const code = fieldOf(error, 'code');
  if (typeof code === 'string') {
    if (transientSystemCodes.has(code) || transientRuleCodes.has(code)) return 'transient';
    if (ruleCode.test(code)) return 'permanent';
  }
  if (fieldOf(error, 'name') === 'WrongExpectedVersionError') return 'transient';
  // kafkajs marks the errors worth retrying (broker unavailable, leader moved, timeouts).
  if (fieldOf(error, 'retriable') === true) return 'transient';
  if (error instanceof Error && transientMessages.some((pattern) => pattern.test(error.message))) return 'transient';
  // Bad data reaching code that assumed better: reading a field of undefined, BigInt(1.5), ...
  if (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError) return 'permanent';
  return 'unknown';
}

/** The full reason recorded with a dead letter: the error text plus its SQLSTATE when it has one. */
export function failureReason(error: unknown): string {
  if (error instanceof DeadLetterError) return error.reason;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const state = sqlState(error);
  const code = fieldOf(error, 'code');
  if (state) return `${text} (SQLSTATE ${state})`;
  return typeof code === 'string' && code !== '' ? `${text} (code ${code})` : text;
}
