import { randomUUID } from 'node:crypto';
import type { Actor, TokenService } from '@liexi/platform';
import { Client } from 'pg';

export interface PlenaryAttendee {
  accountId: string;
  participantId: string;
  username: string;
  name: string;
  token: string;
}

export interface Plenary {
  meetingId: string;
  agendaItemIds: string[];
  attendees: PlenaryAttendee[];
}

/**
 * A meeting in session with `n` attendees invited and checked in, inserted in bulk SQL (the
 * services would take minutes for thousands). Accounts get an unusable password hash; their
 * tokens are signed directly.
 */
export async function seedPlenary(
  databaseUrl: string,
  tokens: Pick<TokenService, 'sign'>,
  n: number,
  opts: { title?: string; agendaItems?: number; prefix?: string } = {},
): Promise<Plenary> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const prefix = opts.prefix ?? `p${randomUUID().slice(0, 8)}`;
  try {
    await db.query('BEGIN');
    const meeting = await db.query<{ id: string }>(
      `INSERT INTO meeting (kind, title, starts_at, ends_at, place, chair, status)
       VALUES ('appraisal', $1, now(), now() + interval '3 hours', '会议中心', '主任', 'in_session')
       RETURNING id`,
      [opts.title ?? '常委会专项工作评议（全体会议）'],
    );
    const meetingId = meeting.rows[0].id;
    const agenda = await db.query<{ id: string }>(
      `INSERT INTO agenda_item (meeting_id, position, title, category, state)
       SELECT $1, g, '议题 ' || g, 'key_work', 'pending' FROM generate_series(1, $2::int) g
       RETURNING id`,
      [meetingId, opts.agendaItems ?? 2],
    );
    const rows = await db.query<{
      account_id: string;
      participant_id: string;
      username: string;
      name: string;
    }>(
      `WITH p AS (
         INSERT INTO participant (name, constituency, sector, district)
         SELECT '代表' || $2 || '-' || g, 'deputy', 'bench', '城关镇' FROM generate_series(1, $1::int) g
         RETURNING id, name
       ), a AS (
         INSERT INTO account (username, password_hash, role, display_name, participant_id)
         SELECT $2 || '-' || substring(p.name from '[0-9]+$'), 'disabled', 'attendee', p.name, p.id FROM p
         RETURNING id, username, participant_id, display_name
       ), i AS (
         INSERT INTO invitation (meeting_id, participant_id, status, checked_in_at)
         SELECT $3, p.id, 'checked_in', now() FROM p
       )
       SELECT a.id AS account_id, a.participant_id, a.username, a.display_name AS name FROM a`,
      [n, prefix, meetingId],
    );
    await db.query('COMMIT');
    const attendees = rows.rows.map((r) => {
      const actor: Actor = {
        accountId: r.account_id,
        username: r.username,
        role: 'attendee',
        unitId: null,
        participantId: r.participant_id,
      };
      return {
        accountId: r.account_id,
        participantId: r.participant_id,
        username: r.username,
        name: r.name,
        token: tokens.sign(actor).accessToken,
      };
    });
    return { meetingId, agendaItemIds: agenda.rows.map((r) => r.id), attendees };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}

/**
 * A secretariat account (the chair's console: opens and closes polls) with its token, signed
 * directly like the attendees' tokens. For benches run without the demo data (SEED_DEMO=false).
 */
export async function seedChair(
  databaseUrl: string,
  tokens: Pick<TokenService, 'sign'>,
  username = `chair-${randomUUID().slice(0, 8)}`,
): Promise<{ accountId: string; token: string }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const row = await db.query<{ id: string }>(
      `INSERT INTO account (username, password_hash, role, display_name)
       VALUES ($1, 'disabled', 'secretariat', '秘书处（bench）') RETURNING id`,
      [username],
    );
    const actor: Actor = {
      accountId: row.rows[0].id,
      username,
      role: 'secretariat',
      unitId: null,
      participantId: null,
    };
    return { accountId: actor.accountId, token: tokens.sign(actor).accessToken };
  } finally {
    await db.end();
  }
}
