export * from './eventually';
export * from './environment';
export * from './fleetwave-client';
export * from './cluster-services';
export * from './rollout-scenario';
export * from './topic-reader';
export * from './rollout-checks';
export * from './rollout-events.fixture';
