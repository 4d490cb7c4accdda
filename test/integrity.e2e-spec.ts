/* Integrity kept by the database: a foreign key for every reference between rows (migration
 * ForeignKeys1795324999504). Deleting what is still referred to is refused with 409 CONFLICT
 * naming what refers to it; the deletes the code performs still work; a dangling reference
 * written with raw SQL fails; and every uuid column of the schema has its key, bar the
 * documented exceptions — so a later migration that adds a reference without one fails here. */
import { randomUUID } from 'node:crypto';
import { fromDatabaseError } from '@liexi/platform';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { Api, connectLive, startTestApp, type TestApp } from './support/app';
import { ackOk } from './support/live';
import { type Cast, cast, itemBody } from './support/tasks';

/** Reference columns deliberately without a key (see the migration's comment for why). */
const UNCONSTRAINED = [
  'audit_log.actor_id',
  'audit_log.entity_id',
  'notification.recipient_id',
  // Derived counts rebuilt from the figure facts, which carry the keys (migration TaskFigureSummary).
  'task_figure_summary.agenda_item_id',
  'task_figure_summary.meeting_id',
  // A token id, an account or a participant by `kind` (migration TokenRevocationAndMeetingChair).
  'token_revocation.subject_id',
];

/** The keys whose delete rule is not RESTRICT: owned children and cuttable links. */
const CASCADE = [
  'agenda_item.meeting_id',
  'input_cosign.input_id',
  'poll_ballot.poll_id',
  'poll_tally.poll_id',
  'poll_voter.poll_id',
  'task_alert.task_item_id',
  'task_cooperating_unit.task_item_id',
  'task_proposer.task_item_id',
  'task_source_input.task_item_id',
];
const SET_NULL = ['invitation.policy_id', 'speaker_request.agenda_item_id', 'task_item.suggested_unit_id'];

interface ForeignKey {
  name: string;
  table: string;
  column: string;
  references: string;
  onDelete: string;
}

describe('integrity: foreign keys', () => {
  let t: TestApp;
  let c: Cast;
  let db: Client;
  let sec: Api;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    c = await cast(t.baseUrl);
    sec = c.secretary;
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    for (const s of [...sockets, ...(c?.sockets ?? [])]) s.close();
    await db?.end();
    await t?.close();
  });

  const foreignKeys = async (): Promise<ForeignKey[]> =>
    (
      await db.query<ForeignKey>(
        `SELECT con.conname AS name, rel.relname AS "table", att.attname AS "column",
                ref.relname AS "references",
                CASE con.confdeltype WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                  WHEN 'n' THEN 'SET NULL' WHEN 'a' THEN 'NO ACTION' ELSE con.confdeltype::text END AS "onDelete"
         FROM pg_constraint con
         JOIN pg_class rel ON rel.oid = con.conrelid
         JOIN pg_namespace ns ON ns.oid = rel.relnamespace
         JOIN pg_class ref ON ref.oid = con.confrelid
         JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
         WHERE con.contype = 'f' AND ns.nspname = current_schema()
         ORDER BY 1`,
      )
    ).rows;

  const agendaTitles = async (meetingId: string): Promise<string[]> =>
    (await sec.ok(sec.get(`/api/meetings/${meetingId}`))).agenda.map((a: any) => `${a.position}${a.title}`);

  async function draftMeeting(titles: string[]): Promise<{ id: string; agenda: { id: string }[] }> {
    return sec.ok(
      sec.post('/api/meetings', {
        kind: 'executive',
        title: `常务会议 ${randomUUID().slice(0, 6)}`,
        startsAt: '2034-06-01T01:00:00Z',
        endsAt: '2034-06-01T03:00:00Z',
        agenda: titles.map((title) => ({ title, category: 'key_work' })),
      }),
      201,
    );
  }

  describe('deleting an agenda item', () => {
    it('is refused with 409 CONFLICT naming the task item that refers to it; item and task stay', async () => {
      const m = await draftMeeting(['一', '二']);
      const [first] = m.agenda;
      const task = await sec.ok(
        sec.post('/api/tasks', itemBody(c, { meetingId: m.id, agendaItemId: first.id, problem: '引用议题' })),
        201,
      );
      expect(task.agendaItemId).toBe(first.id);

      const refused = await sec.request<any>('DELETE', `/api/meetings/${m.id}/agenda/${first.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('CONFLICT');
      // The English specifics moved from `message` to `detail` (issue 9: one language per message).
      expect(refused.body.detail).toContain('other records still refer to this one');
      expect(refused.body.detail).toContain('task item: task_item.agenda_item_id');
      // Names the reference, never the statement, the key value or the driver's text.
      for (const text of [refused.body.message, refused.body.detail]) {
        expect(text).not.toMatch(/violates|DELETE|constraint "|Key \(|agenda_item"/);
        expect(text).not.toContain(first.id);
      }
      expect(refused.body.correlationId).toBeUndefined();

      expect(await agendaTitles(m.id)).toEqual(['1一', '2二']);
      expect((await sec.ok(sec.get(`/api/tasks/${task.id}`))).agendaItemId).toBe(first.id);
      const audit = await db.query(
        `SELECT 1 FROM audit_log WHERE action = 'agenda_item.removed' AND entity_id = $1`,
        [first.id],
      );
      expect(audit.rowCount).toBe(0); // the whole unit of work rolled back
    });

    it('still works when nothing refers to the item', async () => {
      const m = await draftMeeting(['一', '二', '三']);
      await sec.ok(sec.request('DELETE', `/api/meetings/${m.id}/agenda/${m.agenda[1].id}`));
      expect(await agendaTitles(m.id)).toEqual(['1一', '2三']);
      const gone = await db.query('SELECT 1 FROM agenda_item WHERE id = $1', [m.agenda[1].id]);
      expect(gone.rowCount).toBe(0);
    });

    it('in session: a speaker request lets go of the item, an input keeps it', async () => {
      const add = async (title: string): Promise<string> => {
        const item = await sec.ok(
          sec.post(`/api/meetings/${c.meetingId}/agenda`, { title, category: 'major_matter' }),
          201,
        );
        return item.id as string;
      };
      const spokenTo = await add('发言议题');
      const discussed = await add('讨论议题');
      const member = await connectLive(t.baseUrl, c.member.token);
      sockets.push(member);
      await ackOk(member, 'speaker.request', {
        meetingId: c.meetingId,
        agendaItemId: spokenTo,
        clientKey: randomUUID(),
      });
      const { inputId } = await ackOk<{ inputId: string }>(member, 'input.submit', {
        meetingId: c.meetingId,
        agendaItemId: discussed,
        clientKey: randomUUID(),
        kind: 'suggestion',
        text: '建议',
      });

      await sec.ok(sec.request('DELETE', `/api/meetings/${c.meetingId}/agenda/${spokenTo}`));
      const request = await db.query(
        `SELECT agenda_item_id, state FROM speaker_request WHERE meeting_id = $1 AND state = 'queued'`,
        [c.meetingId],
      );
      expect(request.rows).toEqual([{ agenda_item_id: null, state: 'queued' }]);

      const refused = await sec.request<any>('DELETE', `/api/meetings/${c.meetingId}/agenda/${discussed}`);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('input: input.agenda_item_id');
      const input = await db.query('SELECT agenda_item_id FROM input WHERE id = $1', [inputId]);
      expect(input.rows).toEqual([{ agenda_item_id: discussed }]);
    });
  });

  describe('a dangling reference written with raw SQL', () => {
    let fixture: { meetingId: string; agendaItemId: string; unitId: string; participantId: string };

    beforeAll(async () => {
      const m = await draftMeeting(['样本']);
      const person = await db.query<{ id: string }>('SELECT id FROM participant LIMIT 1');
      fixture = {
        meetingId: m.id,
        agendaItemId: m.agenda[0].id,
        unitId: Object.values(c.units)[0],
        participantId: person.rows[0].id,
      };
    });

    async function violation(sql: string, params: unknown[]): Promise<any> {
      const err: any = await db.query(sql, params).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      expect(err.code).toBe('23503');
      return err;
    }

    const cases: [constraint: string, sql: string, params: (f: typeof fixture) => unknown[]][] = [
      [
        'fk_task_item_agenda_item_id',
        `INSERT INTO task_item (meeting_id, agenda_item_id, problem, lead_unit_id, measure, deadline, close_out_standard, task_class)
         VALUES ($1, $2, 'p', $3, 'm', '2034-12-31', 's', 'A')`,
        (f) => [f.meetingId, randomUUID(), f.unitId],
      ],
      [
        'fk_task_item_lead_unit_id',
        `INSERT INTO task_item (problem, lead_unit_id, measure, deadline, close_out_standard, task_class)
         VALUES ('p', $1, 'm', '2034-12-31', 's', 'A')`,
        () => [randomUUID()],
      ],
      [
        'fk_agenda_item_meeting_id',
        `INSERT INTO agenda_item (meeting_id, position, title, category) VALUES ($1, 1, 't', 'key_work')`,
        () => [randomUUID()],
      ],
      [
        'fk_invitation_participant_id',
        `INSERT INTO invitation (meeting_id, participant_id) VALUES ($1, $2)`,
        (f) => [f.meetingId, randomUUID()],
      ],
      [
        'fk_input_agenda_item_id',
        `INSERT INTO input (meeting_id, agenda_item_id, client_key, author_participant_id, kind, text)
         VALUES ($1, $2, 'k', $3, 'problem', 't')`,
        (f) => [f.meetingId, randomUUID(), f.participantId],
      ],
      [
        'fk_poll_ballot_poll_id',
        `INSERT INTO poll_ballot (poll_id, choice, receipt) VALUES ($1, 'yes', $2)`,
        () => [randomUUID(), randomUUID()],
      ],
      [
        'fk_account_unit_id',
        `INSERT INTO account (username, password_hash, role, display_name, unit_id)
         VALUES ($1, 'x', 'unit_handler', 'x', $2)`,
        () => [`u-${randomUUID()}`, randomUUID()],
      ],
      [
        'fk_speaker_request_participant_id',
        `INSERT INTO speaker_request (meeting_id, participant_id, client_key, seq) VALUES ($1, $2, 'k', 1)`,
        (f) => [f.meetingId, randomUUID()],
      ],
    ];

    it.each(cases)('fails with the foreign key violation of %s', async (constraint, sql, params) => {
      const err = await violation(sql, params(fixture));
      expect(err.constraint).toBe(constraint);
      // Mapped centrally: VALIDATION, naming the column without any SQL.
      const mapped = fromDatabaseError(err);
      expect(mapped?.code).toBe('VALIDATION');
      const column = `${err.table}.${constraint.slice(`fk_${err.table}_`.length)}`;
      expect(mapped?.detail).toBe(
        `a referenced record does not exist (${String(err.table).replace(/_/g, ' ')}: ${column})`,
      );
    });

    it('fails on update too, and the valid reference is accepted', async () => {
      const ok = await db.query<{ id: string }>(
        `INSERT INTO task_item (meeting_id, agenda_item_id, problem, lead_unit_id, measure, deadline, close_out_standard, task_class)
         VALUES ($1, $2, 'p', $3, 'm', '2034-12-31', 's', 'A') RETURNING id`,
        [fixture.meetingId, fixture.agendaItemId, fixture.unitId],
      );
      const err = await violation('UPDATE task_item SET meeting_id = $2 WHERE id = $1', [
        ok.rows[0].id,
        randomUUID(),
      ]);
      expect(err.constraint).toBe('fk_task_item_meeting_id');
    });
  });

  describe('the schema', () => {
    it('has a foreign key for every uuid column that refers to a row, bar the documented exceptions', async () => {
      const uuidColumns = (
        await db.query<{ col: string }>(
          `SELECT c.table_name || '.' || c.column_name AS col FROM information_schema.columns c
           JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
           WHERE c.table_schema = current_schema() AND tb.table_type = 'BASE TABLE'
             AND c.data_type = 'uuid' AND c.column_name <> 'id'
           ORDER BY 1`,
        )
      ).rows.map((r) => r.col);
      const keyed = new Set((await foreignKeys()).map((k) => `${k.table}.${k.column}`));
      const missing = uuidColumns.filter((col) => !keyed.has(col));
      expect(missing).toEqual(UNCONSTRAINED);
      expect(uuidColumns.length).toBeGreaterThan(50);
    });

    it('names every key fk_<table>_<column>, on one column, pointing at an id', async () => {
      const keys = await foreignKeys();
      for (const k of keys) expect(k.name).toBe(`fk_${k.table}_${k.column}`);
      const multi = await db.query(
        `SELECT conname FROM pg_constraint WHERE contype = 'f' AND (cardinality(conkey) <> 1 OR cardinality(confkey) <> 1)`,
      );
      expect(multi.rows).toEqual([]);
    });

    it('deletes with the rule the domain needs: RESTRICT unless owned (CASCADE) or cuttable (SET NULL)', async () => {
      const keys = await foreignKeys();
      const rule = (r: string): string[] =>
        keys
          .filter((k) => k.onDelete === r)
          .map((k) => `${k.table}.${k.column}`)
          .sort();
      expect(rule('CASCADE')).toEqual(CASCADE);
      expect(rule('SET NULL')).toEqual(SET_NULL);
      expect(keys.filter((k) => !['RESTRICT', 'CASCADE', 'SET NULL'].includes(k.onDelete))).toEqual([]);
      expect(keys.find((k) => k.name === 'fk_task_item_agenda_item_id')).toMatchObject({
        references: 'agenda_item',
        onDelete: 'RESTRICT',
      });
    });

    it('indexes the reference columns that are filtered on or checked by the deletes the code does', async () => {
      const indexed = await db.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ix\\_fk\\_%' ORDER BY 1`,
      );
      expect(indexed.rows.map((r) => r.indexname)).toEqual([
        'ix_fk_account_participant_id',
        'ix_fk_account_unit_id',
        'ix_fk_input_agenda_item_id',
        'ix_fk_speaker_request_agenda_item_id',
        'ix_fk_task_cooperating_unit_unit_id',
        'ix_fk_task_item_agenda_item_id',
        'ix_fk_task_reply_review_task_item_id',
      ]);
    });
  });
});
