export * from './build-info';
export * from './logger';
export * from './shutdown';
export * from './metrics';
export * from './tracing';
export * from './ops-server';
