export * from './database-errors';
export * from './domain.exception';
export * from './error-body';
export * from './exceptions.filter';
export * from './storable';
export * from './validation';
