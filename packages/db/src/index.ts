export * from './connection';
export * from './schema';
export * from './migrator';
export * from './embedded';
export * from './transaction';
export * from './database-url';
export * from './parking';
