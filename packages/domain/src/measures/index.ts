export * from './catalogue';
export * from './templates';
export * from './values';
export * from './periods';
export * from './niatx';
export * from './upcasters';
