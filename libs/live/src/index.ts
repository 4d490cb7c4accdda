export * from './input.entity';
export * from './live.dto';
export * from './live.module';
export * from './live.service';
