export * from './insights.module';
export * from './ledger.service';
export * from './attendance-figures.service';
export * from './insights.views';
