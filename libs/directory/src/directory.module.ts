import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from './account.entity';
import { DirectoryImportService } from './directory-import.service';
import { DirectoryLookupsService } from './directory-lookups.service';
import { DirectoryService } from './directory.service';
import { ParticipantEntity } from './participant.entity';
import { UnitEntity } from './unit.entity';

@Module({
  imports: [TypeOrmModule.forFeature([UnitEntity, ParticipantEntity, AccountEntity])],
  providers: [DirectoryService, DirectoryImportService, DirectoryLookupsService],
  exports: [DirectoryService, DirectoryImportService, DirectoryLookupsService],
})
export class DirectoryModule {}
