export * from './clock';
export * from './job-retention.service';
export * from './job-runner.service';
export * from './job.entity';
export * from './jobs.module';
