import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@liexi/contracts';

/** Who is acting: taken from a verified token, never from the request body. */
export interface Actor {
  accountId: string;
  username: string;
  role: Role;
  /** For unit handlers: the unit they act for. */
  unitId: string | null;
  /** For attendees: the participant they are. */
  participantId: string | null;
}

/** The actor as the api shows it (login, /auth/me, a created account). */
export class ActorView implements Actor {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ example: 'secretary' }) username!: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role' }) role!: Role;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'unit handlers: the unit they act for',
  })
  unitId!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'attendees: the participant they are',
  })
  participantId!: string | null;
}
