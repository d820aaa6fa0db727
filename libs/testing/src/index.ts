export * from './eventually';
export * from './environment';
