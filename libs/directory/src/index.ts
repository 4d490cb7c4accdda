export * from './account.entity';
export * from './directory.dto';
export * from './directory.module';
export * from './directory.service';
export * from './participant.entity';
export * from './unit.entity';
