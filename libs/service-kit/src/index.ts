export * from './service-kit';
export * from './envelope';
