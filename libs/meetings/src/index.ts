export * from './agenda-progress.service';
export * from './agenda-item.entity';
export * from './invitation.entity';
export * from './meeting-status';
export * from './meeting.entity';
export * from './meetings.dto';
export * from './meetings.module';
export * from './meetings.service';
