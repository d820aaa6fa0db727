export * from './service-kit';
export * from './envelope';
export * from './service-kit.providers';
