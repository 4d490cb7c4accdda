import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { JobRunner } from './job-runner.service';

/** The clock and the durable job runner (started by the api unless JOBS_ENABLED=false). */
@Global()
@Module({ providers: [Clock, JobRunner], exports: [Clock, JobRunner] })
export class JobsModule {}
