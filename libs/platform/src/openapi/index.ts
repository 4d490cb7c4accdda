export * from './api-docs.decorator';
export * from './error-body.dto';
