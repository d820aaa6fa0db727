export * from './service-metrics';
export * from './consumer-metrics';
export * from './consumer-lag-metrics';
export * from './relay-metrics';
export * from './metrics-endpoint';
export * from './route-label';
export * from './elapsed';
export * from './exposition-sample';
