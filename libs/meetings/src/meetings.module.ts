import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '@liexi/directory';
import { AgendaItemEntity } from './agenda-item.entity';
import { AgendaProgressService } from './agenda-progress.service';
import { AgendaTaxonomyEntity } from './agenda-taxonomy.entity';
import { AgendaTaxonomyService } from './agenda-taxonomy.service';
import { AgendaService } from './agenda.service';
import { AttendanceService } from './attendance.service';
import { CheckInCodeService } from './check-in-code.service';
import { InvitationPlannerService } from './invitation-planner.service';
import { InvitationPolicyEntity } from './invitation-policy.entity';
import { InvitationPolicyService } from './invitation-policy.service';
import { InvitationWriter } from './invitation-writer';
import { InvitationEntity } from './invitation.entity';
import { InvitationsService } from './invitations.service';
import { MeetingEntity } from './meeting.entity';
import { MeetingFiguresService } from './meeting-figures.service';
import { MeetingRecords } from './meeting-records';
import { MeetingRetentionService } from './meeting-retention.service';
import { MeetingsService } from './meetings.service';

const SERVICES = [
  MeetingsService,
  AgendaService,
  InvitationsService,
  AttendanceService,
  AgendaProgressService,
  AgendaTaxonomyService,
  InvitationPolicyService,
  InvitationPlannerService,
  CheckInCodeService,
  MeetingRetentionService,
  MeetingFiguresService,
];

@Module({
  imports: [
    TypeOrmModule.forFeature([
      MeetingEntity,
      AgendaItemEntity,
      InvitationEntity,
      AgendaTaxonomyEntity,
      InvitationPolicyEntity,
    ]),
    DirectoryModule,
  ],
  // MeetingRecords and InvitationWriter hand out entities: they stay inside the module.
  providers: [...SERVICES, MeetingRecords, InvitationWriter],
  exports: SERVICES,
})
export class MeetingsModule {}
