export * from './eventually';
export * from './environment';
export * from './fleetwave-client';
