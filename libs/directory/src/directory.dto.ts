import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  CONSTITUENCIES,
  type Constituency,
  ROLES,
  type Role,
  UNIT_KINDS,
  type UnitKind,
} from '@liexi/contracts';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@liexi/platform';

export class LoginDto {
  @ApiProperty({ example: 'secretary' })
  @IsString()
  @Length(1, 100)
  username!: string;

  @ApiProperty({ example: 'demo' })
  @IsString()
  @Length(1, 200)
  password!: string;
}

export class CreateUnitDto {
  @ApiProperty({ example: '县金融服务中心' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: UNIT_KINDS })
  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  headName?: string;
}

export class CreateParticipantDto {
  @ApiProperty({ example: '王建国' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: CONSTITUENCIES })
  @IsIn(CONSTITUENCIES)
  constituency!: Constituency;

  @ApiPropertyOptional({ example: '医药' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sector?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  district?: string;

  @ApiPropertyOptional({ description: 'private; visible to the secretariat only' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  contact?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class CreateAccountDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[a-z0-9_.-]{2,50}$/, { message: 'username: 2–50 of a-z 0-9 _ . -' })
  username!: string;

  @ApiProperty()
  @IsString()
  @Length(4, 200)
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty()
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiPropertyOptional({ description: 'required for unit_handler' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ description: 'required for attendee' })
  @IsOptional()
  @IsUUID()
  participantId?: string;
}

/** PATCH /participants/:id — the fields of a new participant, each optional (`active: false` deactivates). */
export class UpdateParticipantDto extends PartialType(CreateParticipantDto) {}

export class UpdateUnitDto extends PartialType(CreateUnitDto) {}

export class CreateHandlerDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[a-z0-9_.-]{2,50}$/, { message: 'username: 2–50 of a-z 0-9 _ . -' })
  username!: string;

  @ApiProperty()
  @IsString()
  @Length(4, 200)
  password!: string;

  @ApiProperty({ example: '金融服务中心经办人' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiPropertyOptional({ description: 'this account is the unit head (一把手) who signs replies' })
  @IsOptional()
  @IsBoolean()
  head?: boolean;
}

export class SetUnitHeadDto {
  @ApiProperty({ description: 'a handler account of this unit' })
  @IsUUID()
  accountId!: string;
}

export const IMPORT_KINDS = ['participants', 'units'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export class ImportDto {
  @ApiProperty({ enum: IMPORT_FORMATS })
  @IsIn(IMPORT_FORMATS)
  format!: ImportFormat;

  @ApiProperty({
    description:
      'the file, base64-encoded (at most ~70 KB of file within the 100 KB JSON body limit; use the /upload variant for larger files). First row: Chinese headers. ' +
      'participants: 姓名, 界别/身份 (人大代表, 政协委员, 市民代表, 企业家代表, 专家, 媒体), 行业/领域, 区域/镇街, 联系方式, 状态 (在册/停用). ' +
      'units: 单位名称, 类型 (部门, 镇街, 企业, 其他), 负责人.',
  })
  @IsString()
  @Length(1, 200_000)
  contentBase64!: string;

  @ApiPropertyOptional({ description: 'validate and report only; store nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

/** The form fields beside the `file` part of a multipart upload. */
export class ImportUploadDto {
  @ApiPropertyOptional({ enum: IMPORT_FORMATS, description: 'default: from the file name (.xlsx or .csv)' })
  @IsOptional()
  @IsIn(IMPORT_FORMATS)
  format?: ImportFormat;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'validate and report only; store nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

/** GET /participants: the filters beside `limit` and `cursor`. */
export class ListParticipantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CONSTITUENCIES, enumName: 'Constituency', description: '界别' })
  @IsOptional()
  @IsIn(CONSTITUENCIES)
  constituency?: Constituency;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'only active (在册) or only inactive (停用) people',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
