export * from './insights.module';
export * from './ledger.service';
