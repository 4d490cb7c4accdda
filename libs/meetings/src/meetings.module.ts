import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '@liexi/directory';
import { AgendaItemEntity } from './agenda-item.entity';
import { AgendaTaxonomyEntity } from './agenda-taxonomy.entity';
import { InvitationPolicyEntity } from './invitation-policy.entity';
import { AgendaProgressService } from './agenda-progress.service';
import { InvitationEntity } from './invitation.entity';
import { MeetingEntity } from './meeting.entity';
import { MeetingsService } from './meetings.service';
import { AgendaTaxonomyService } from './agenda-taxonomy.service';
import { CheckInCodeService } from './check-in-code.service';
import { InvitationPlannerService } from './invitation-planner.service';
import { InvitationPolicyService } from './invitation-policy.service';

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
  providers: [
    MeetingsService,
    AgendaProgressService,
    AgendaTaxonomyService,
    InvitationPolicyService,
    InvitationPlannerService,
    CheckInCodeService,
  ],
  exports: [
    MeetingsService,
    AgendaProgressService,
    AgendaTaxonomyService,
    InvitationPolicyService,
    InvitationPlannerService,
    CheckInCodeService,
  ],
})
export class MeetingsModule {}
