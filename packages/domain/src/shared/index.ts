export * from './errors';
export * from './ids';
export * from './measures';
export * from './schemas';
export * from './types';
export * from './bounds';
export * from './data-due';
