import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '@liexi/directory';
import { MeetingsModule } from '@liexi/meetings';
import { AppraisalResultsService } from './appraisal-results.service';
import { InputCosignEntity } from './cosign.entity';
import { InputFiguresService } from './input-figures.service';
import { InputEntity } from './input.entity';
import { LiveRateLimiter } from './live-rate-limiter';
import { CosignWriter } from './cosign-writer.service';
import { InputWriter } from './input-writer.service';
import { LiveService } from './live.service';
import { VoteWriter } from './vote-writer.service';
import { PollBallotEntity, PollEntity, PollTallyEntity, PollVoterEntity } from './poll.entity';
import { PollsService } from './polls.service';
import { SpeakerRequestEntity } from './speaker-request.entity';
import { SpeakersService } from './speakers.service';

const SERVICES = [
  LiveService,
  InputWriter,
  CosignWriter,
  VoteWriter,
  SpeakersService,
  PollsService,
  LiveRateLimiter,
  AppraisalResultsService,
  InputFiguresService,
];

@Module({
  imports: [
    TypeOrmModule.forFeature([
      InputEntity,
      InputCosignEntity,
      SpeakerRequestEntity,
      PollEntity,
      PollVoterEntity,
      PollBallotEntity,
      PollTallyEntity,
    ]),
    MeetingsModule,
    DirectoryModule,
  ],
  providers: SERVICES,
  exports: SERVICES,
})
export class LiveModule {}
