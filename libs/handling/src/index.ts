export * from './handling.dto';
export * from './handling.module';
export * from './handling.service';
export * from './task-item.entity';
export * from './task-links.entity';
export * from './task-workflow';
