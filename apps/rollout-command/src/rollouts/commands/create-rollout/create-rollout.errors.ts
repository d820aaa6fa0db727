import { ApplicationError } from '../../../shared/application-error';
import { describeQuotaViolation, type QuotaViolation } from '../../domain/rollout-quotas';

/** An application error answered with hawkBit's exception class and code. */
class HawkbitCodedError extends ApplicationError {
  constructor(kind: ApplicationError['kind'], code: string, exceptionClass: string, message: string) {
    super(kind, code, message);
    this.name = exceptionClass;
  }
}

/** The rollout's definition does not hold together (both split kinds, uncovered targets, no targets): 400. */
export const rolloutVerificationFailed = (message: string): ApplicationError =>
  new HawkbitCodedError(
    'bad_request',
    'hawkbit.server.error.rollout.verificationFailed',
    'RolloutVerificationException',
    message,
  );

/** A quota is exceeded: 429 with hawkBit's assignment quota body. */
export const quotaExceeded = (violation: QuotaViolation): ApplicationError =>
  new HawkbitCodedError(
    'quota',
    'hawkbit.server.error.quota.tooManyEntries',
    'AssignmentQuotaExceededException',
    describeQuotaViolation(violation),
  );

export const incompleteDistributionSet = (id: number): ApplicationError =>
  new HawkbitCodedError(
    'bad_request',
    'hawkbit.server.error.distributionset.incomplete',
    'IncompleteDistributionSetException',
    `Distribution set ${id} is incomplete: mandatory software modules are missing`,
  );

export const invalidDistributionSet = (id: number): ApplicationError =>
  new HawkbitCodedError(
    'bad_request',
    'hawkbit.server.error.distributionset.invalid',
    'InvalidDistributionSetException',
    `Distribution set ${id} is invalidated and cannot be rolled out`,
  );
