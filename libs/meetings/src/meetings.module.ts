import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '@liexi/directory';
import { AgendaItemEntity } from './agenda-item.entity';
import { AgendaProgressService } from './agenda-progress.service';
import { InvitationEntity } from './invitation.entity';
import { MeetingEntity } from './meeting.entity';
import { MeetingsService } from './meetings.service';

@Module({
  imports: [TypeOrmModule.forFeature([MeetingEntity, AgendaItemEntity, InvitationEntity]), DirectoryModule],
  providers: [MeetingsService, AgendaProgressService],
  exports: [MeetingsService, AgendaProgressService],
})
export class MeetingsModule {}
