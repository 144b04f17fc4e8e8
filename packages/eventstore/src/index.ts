export * from './types';
export * from './errors';
export * from './upcasters';
export * from './event-store';
export * from './subscription';
export { EVENTS_CHANNEL } from './notifier';
export * from './personal-data';
export type { GroupCommitOptions } from './group-commit';
export * from './deployment';
