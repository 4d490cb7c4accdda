import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { JobRetention } from './job-retention.service';
import { JobRunner } from './job-runner.service';

/**
 * The clock, the durable job runner (started by the api unless JOBS_ENABLED=false) and the
 * daily retention of done jobs.
 */
@Global()
@Module({ providers: [Clock, JobRunner, JobRetention], exports: [Clock, JobRunner, JobRetention] })
export class JobsModule {}
