export * from './create-rollout.dto';
export * from './update-rollout.dto';
export * from './rollout-definition';
export * from './rollout-rendering';
export * from './system-configs';
export * from './action-rendering';
