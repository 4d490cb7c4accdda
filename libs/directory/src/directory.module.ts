import { Module } from '@nestjs/common';
import { AccountAccessService } from './account-access.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from './account.entity';
import { DirectoryImportService } from './directory-import.service';
import { DirectoryLookupsService } from './directory-lookups.service';
import { DirectoryService } from './directory.service';
import { ParticipantEntity } from './participant.entity';
import { UnitEntity } from './unit.entity';

@Module({
  imports: [TypeOrmModule.forFeature([UnitEntity, ParticipantEntity, AccountEntity])],
  providers: [DirectoryService, DirectoryImportService, AccountAccessService, DirectoryLookupsService],
  exports: [DirectoryService, DirectoryImportService, AccountAccessService, DirectoryLookupsService],
})
export class DirectoryModule {}
