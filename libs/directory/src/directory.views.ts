import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONSTITUENCIES, type Constituency, type Role, UNIT_KINDS, type UnitKind } from '@liexi/contracts';
import { ActorView } from '@liexi/platform';
import { IMPORT_KINDS, type ImportKind } from './directory.dto';
import type { AccountEntity } from './account.entity';
import type { ParticipantEntity } from './participant.entity';
import type { UnitEntity } from './unit.entity';

/*
 * What the directory hands out. Its entities stay inside the context: every method of
 * DirectoryService returns one of these, built field by field, so a column added to an entity
 * (above all `account.password_hash`) never reaches a controller or another context by accident.
 */

/** 承办单位 as callers and the HTTP API see it (GET/POST/PATCH /units). */
export class UnitView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '县金融服务中心' }) name!: string;
  @ApiProperty({ enum: UNIT_KINDS, enumName: 'UnitKind' }) kind!: UnitKind;
  @ApiProperty({ type: String, nullable: true, description: '一把手 (unit head) name', example: '刘主任' })
  headName!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

/** 列席人员 as the HTTP API shows it: the private contact for the secretariat only. */
export class ParticipantView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '王建国' }) name!: string;
  @ApiProperty({ enum: CONSTITUENCIES, enumName: 'Constituency', description: '界别' }) constituency!: string;
  @ApiProperty({ type: String, nullable: true, example: '医药' }) sector!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '城关镇' }) district!: string | null;
  @ApiProperty() active!: boolean;
  /** Present for the secretariat only. */
  @ApiPropertyOptional({ type: String, nullable: true, description: 'private; secretariat only' })
  contact?: string | null;
}

/**
 * The whole participant, for server-side use by other contexts (planning, notices, names of
 * authors and speakers). It carries the private `contact`: never send it to a client as is.
 */
export interface ParticipantRecord {
  id: string;
  name: string;
  constituency: Constituency;
  sector: string | null;
  district: string | null;
  /** Private: only the secretariat ever sees it; notices are sent to it. */
  contact: string | null;
  active: boolean;
  createdAt: Date;
}

/** An account without its credentials (there is no way to get the password hash out). */
export interface AccountView {
  id: string;
  username: string;
  role: Role;
  displayName: string;
  unitId: string | null;
  /** 一把手 of `unitId`. */
  unitHead: boolean;
  participantId: string | null;
  active: boolean;
  createdAt: Date;
}

/** 经办人: a handler account of a unit; `head` marks the unit head (一把手) who signs replies. */
export class UnitHandlerView {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ example: 'handler' }) username!: string;
  @ApiProperty({ example: '金融服务中心经办人' }) displayName!: string;
  @ApiProperty() head!: boolean;
  @ApiProperty() active!: boolean;
}

/** The answer to a login: the token, when it expires, and who it is for. */
export class LoginResultView {
  @ApiProperty({ description: 'JWT; send as `Authorization: Bearer <accessToken>`' }) accessToken!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
}

export class ImportMessageView {
  @ApiProperty({ example: '界别/身份 不可识别: 人大' }) zh!: string;
  @ApiProperty({ example: 'unknown constituency: 人大' }) en!: string;
}

export class ImportErrorView {
  @ApiProperty({ minimum: 1, description: 'spreadsheet row (the header is row 1)' }) row!: number;
  @ApiProperty({ type: String, nullable: true, example: '界别/身份' }) column!: string | null;
  @ApiProperty({ type: ImportMessageView }) message!: ImportMessageView;
}

/** The report of an import (a dry run, or a real one that stored every row). */
export class ImportReportView {
  @ApiProperty({ enum: IMPORT_KINDS }) kind!: ImportKind;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ minimum: 0, description: 'data rows read (blank rows ignored)' }) rows!: number;
  @ApiProperty({ minimum: 0, description: 'rows stored (0 on a dry run)' }) imported!: number;
  @ApiProperty({ type: [ImportErrorView] }) errors!: ImportErrorView[];
}

export function unitView(u: UnitEntity): UnitView {
  return { id: u.id, name: u.name, kind: u.kind, headName: u.headName, createdAt: u.createdAt };
}

export function participantRecord(p: ParticipantEntity): ParticipantRecord {
  return {
    id: p.id,
    name: p.name,
    constituency: p.constituency,
    sector: p.sector,
    district: p.district,
    contact: p.contact,
    active: p.active,
    createdAt: p.createdAt,
  };
}

export function accountView(a: AccountEntity): AccountView {
  return {
    id: a.id,
    username: a.username,
    role: a.role,
    displayName: a.displayName,
    unitId: a.unitId,
    unitHead: a.unitHead,
    participantId: a.participantId,
    active: a.active,
    createdAt: a.createdAt,
  };
}
