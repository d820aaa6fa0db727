export * from './hawkbit-error';
export * from './hawkbit-validation.pipe';
export * from './http-guards';
export * from './http-limits';
export * from './json-text';
export * from './parse-id.pipe';
export * from './parse-items.pipe';
export * from './validation-messages';
