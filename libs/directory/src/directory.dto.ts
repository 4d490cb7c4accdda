import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONSTITUENCIES,
  type Constituency,
  ROLES,
  type Role,
  UNIT_KINDS,
  type UnitKind,
} from '@liexi/contracts';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';

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
