export * from './provision';
export * from './database';
export * from './redis';
export * from './scratch-cluster';
export * from './statements';
