// The handling context's public face: its module, services, DTOs and views. Entities stay inside.
export * from './deadlines.service';
export * from './handling.dto';
export * from './handling.module';
export * from './handling.views';
export * from './input-dispositions.service';
export * from './proposers';
export * from './reinspection.service';
export * from './reply-approval.service';
export * from './supervision-channels.service';
export * from './supervision.service';
export * from './task-commands.service';
export * from './task-item.view';
export * from './task-queries.service';
export * from './task-workflow';
export * from './work-calendar.service';
export * from './working-days';
