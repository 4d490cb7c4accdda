// The meetings context's public face: services, DTOs, views and pure helpers. Its entities stay
// inside (registered with TypeORM through the entity glob and the module's forFeature).
export * from './agenda-progress.service';
export * from './agenda-taxonomy.service';
export * from './agenda.service';
export * from './attendance.service';
export * from './check-in-code.service';
export * from './ics';
export * from './invitation-planner.service';
export * from './invitation-policy.service';
export * from './invitation-workflow';
export * from './invitations.service';
export * from './meeting-retention.service';
export * from './meeting-status';
export * from './meetings.dto';
export * from './meetings.module';
export * from './meetings.service';
export * from './meetings.views';
export * from './planning.dto';
export * from './meeting-figures.service';
