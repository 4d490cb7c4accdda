import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONSTITUENCIES, type Constituency, type Role, UNIT_KINDS, type UnitKind } from '@liexi/contracts';
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
  @ApiProperty({ enum: UNIT_KINDS }) kind!: UnitKind;
  @ApiProperty({ type: String, nullable: true, description: '一把手 (unit head) name' })
  headName!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

/** 列席人员 as the HTTP API shows it: the private contact for the secretariat only. */
export class ParticipantView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CONSTITUENCIES }) constituency!: string;
  @ApiProperty({ type: String, nullable: true }) sector!: string | null;
  @ApiProperty({ type: String, nullable: true }) district!: string | null;
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
