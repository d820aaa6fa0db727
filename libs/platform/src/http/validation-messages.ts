import type { ValidationError } from 'class-validator';

/** At most this many problems are listed in one answer; the rest are summarized. */
const MAX_LISTED = 20;

/** Flattens class-validator errors (nested ones with their path) into readable sentences. */
export function validationMessages(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((message) => `${path}${message}`),
    ...validationMessages(error.children ?? [], `${path}${error.property}.`),
  ]);
}

/** Joins problems into one message, bounded in length whatever the request held. */
export function joinProblems(problems: string[]): string {
  const listed = problems.slice(0, MAX_LISTED).join('; ');
  return problems.length > MAX_LISTED ? `${listed}; and ${problems.length - MAX_LISTED} more` : listed;
}
