export * from './config/platform-config';
export * from './database/database';
export * from './health/health.controller';
export * from './bootstrap/bootstrap-service';
export * from './http/hawkbit-exception.filter';
export * from './http/paging';
export * from './http/index';
