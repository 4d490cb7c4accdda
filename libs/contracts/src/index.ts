export * from './enums';
export * from './errors';
export * from './live-events';
export * from './supervision-events';
export * from './socket-schemas';
