export * from './keyset';
export * from './meetings';
export * from './site-visits';
export * from './change-projects';
export * from './due-dates';
export * from './calendar';
