import type { Role } from '@liexi/contracts';

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
