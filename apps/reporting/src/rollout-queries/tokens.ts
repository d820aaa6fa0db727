export const READ_POOL = Symbol('READ_POOL');
