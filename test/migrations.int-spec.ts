/* The schema diff and the foreign-key migration on a real PostgreSQL. `pendingSchemaSql` (what
 * `migration:check` fails on) is empty on the migrated template although the entities declare
 * no foreign keys, and still reports a real change made by hand; the migration repairs the
 * dangling references of a database in use before adding its keys, stops on one it cannot
 * repair, and its `down` removes everything it added. */
import { randomUUID } from 'node:crypto';
import { dataSourceOptions, isKeptByMigrations, pendingSchemaSql, runMigrations } from '@liexi/platform';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase } from './support/database';

const FOREIGN_KEYS = 'ForeignKeys1795324999504';

type Scratch = { url: string; drop(): Promise<void> };

async function withClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** Reverts migrations, newest first, until the foreign-key migration is undone too. */
async function revertForeignKeys(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 2 }));
  await ds.initialize();
  try {
    for (;;) {
      const applied: { name: string }[] = await ds.query('SELECT name FROM schema_migrations');
      if (!applied.some((m) => m.name === FOREIGN_KEYS)) return;
      await ds.undoLastMigration({ transaction: 'each' });
    }
  } finally {
    await ds.destroy();
  }
}

const count = async (c: Client, sql: string, params: unknown[] = []): Promise<number> =>
  Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) x`, params)).rows[0]?.n);

describe('the schema diff (migration:check)', () => {
  const scratch: Scratch[] = [];
  const fresh = async (): Promise<string> => {
    const db = await createTestDatabase();
    scratch.push(db);
    return db.url;
  };
  afterAll(async () => {
    for (const db of scratch) await db.drop();
  });

  it('is empty on the migrated template: the foreign keys kept by migrations are not "pending"', async () => {
    const url = await fresh();
    const keys = await withClient(url, (c) =>
      count(c, "SELECT 1 FROM pg_constraint WHERE contype = 'f' AND conname LIKE 'fk\\_%'"),
    );
    expect(keys).toBeGreaterThan(50);
    expect(await pendingSchemaSql(url)).toEqual({ up: [], down: [] });
  });

  it('still reports a real change: a column, an index and a foreign key made by hand', async () => {
    const url = await fresh();
    await withClient(url, async (c) => {
      await c.query('ALTER TABLE participant ADD COLUMN scratch_note text');
      await c.query('CREATE INDEX ix_scratch_participant_name ON participant (name)');
      await c.query(
        'ALTER TABLE task_alert ADD CONSTRAINT task_alert_task_fkey FOREIGN KEY (task_item_id) REFERENCES task_item (id)',
      );
    });
    const pending = await pendingSchemaSql(url);
    expect(pending.up).toEqual(
      expect.arrayContaining([
        'ALTER TABLE "participant" DROP COLUMN "scratch_note"',
        'DROP INDEX "public"."ix_scratch_participant_name"',
        'ALTER TABLE "task_alert" DROP CONSTRAINT "task_alert_task_fkey"',
      ]),
    );
    expect(pending.up).toHaveLength(3);
    expect(pending.down).toEqual(
      expect.arrayContaining(['ALTER TABLE "participant" ADD "scratch_note" text']),
    );
    expect([...pending.up, ...pending.down].filter((q) => /"(ix_)?fk_/.test(q))).toEqual([]);
  });

  it('leaves out only the fk_… keys and their ix_fk_… indexes, on both sides', () => {
    for (const q of [
      'ALTER TABLE "task_item" DROP CONSTRAINT "fk_task_item_agenda_item_id"',
      'ALTER TABLE "task_item" ADD CONSTRAINT "fk_task_item_agenda_item_id" FOREIGN KEY ("agenda_item_id") REFERENCES "agenda_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
      'DROP INDEX "public"."ix_fk_account_unit_id"',
      'CREATE INDEX "ix_fk_account_unit_id" ON "account" USING btree ("unit_id") ',
    ])
      expect(isKeptByMigrations(q)).toBe(true);
    for (const q of [
      'ALTER TABLE "task_item" DROP CONSTRAINT "pk_task_item"',
      'ALTER TABLE "task_item" DROP CONSTRAINT "task_item_fkey"',
      'ALTER TABLE "task_item" DROP COLUMN "fk_note"',
      'DROP INDEX "public"."ix_task_item_meeting"',
      'CREATE INDEX "ix_job_due" ON "job" ("status", "run_at") ',
      'ALTER TABLE "fk_x" ADD "y" uuid',
    ])
      expect(isKeptByMigrations(q)).toBe(false);
  });
});

describe('the foreign-key migration on a database in use', () => {
  const scratch: Scratch[] = [];
  afterAll(async () => {
    for (const db of scratch) await db.drop();
  });

  /** A clone of the template taken back to just before the foreign keys. */
  async function beforeForeignKeys(): Promise<string> {
    const db = await createTestDatabase();
    scratch.push(db);
    await revertForeignKeys(db.url);
    return db.url;
  }

  /** Rows every scenario needs: a meeting with an agenda item, a unit, a person. */
  async function basics(
    c: Client,
  ): Promise<{ meeting: string; agendaItem: string; unit: string; person: string }> {
    const one = async (sql: string, params: unknown[] = []): Promise<string> =>
      (await c.query<{ id: string }>(`${sql} RETURNING id`, params)).rows[0].id;
    const meeting = await one(
      `INSERT INTO meeting (kind, title, starts_at, ends_at) VALUES ('executive', 'm', now(), now() + interval '1 hour')`,
    );
    return {
      meeting,
      agendaItem: await one(
        `INSERT INTO agenda_item (meeting_id, position, title, category) VALUES ($1, 1, 'a', 'key_work')`,
        [meeting],
      ),
      unit: await one(`INSERT INTO unit (name) VALUES ($1)`, [`u-${randomUUID()}`]),
      person: await one(`INSERT INTO participant (name, constituency) VALUES ('p', 'deputy')`),
    };
  }

  const taskItem = (c: Client, leadUnit: string, agendaItem: string | null): Promise<string> =>
    c
      .query<{ id: string }>(
        `INSERT INTO task_item (agenda_item_id, problem, lead_unit_id, measure, deadline, close_out_standard, task_class)
         VALUES ($1, 'p', $2, 'm', '2034-12-31', 's', 'A') RETURNING id`,
        [agendaItem, leadUnit],
      )
      .then((r) => r.rows[0].id);

  it('down removes every key and index it added', async () => {
    const url = await beforeForeignKeys();
    await withClient(url, async (c) => {
      expect(await count(c, "SELECT 1 FROM pg_constraint WHERE contype = 'f'")).toBe(0);
      expect(await count(c, "SELECT 1 FROM pg_indexes WHERE indexname LIKE 'ix\\_fk\\_%'")).toBe(0);
    });
  });

  it('repairs dangling references (deleted links and owned rows, nulled optional links), then keys them', async () => {
    const url = await beforeForeignKeys();
    const ids = await withClient(url, async (c) => {
      const b = await basics(c);
      // What the code could leave before: a task item and a speaker request whose agenda item was removed.
      const removedItem = randomUUID();
      const task = await taskItem(c, b.unit, removedItem);
      const keptTask = await taskItem(c, b.unit, b.agendaItem);
      await c.query(
        `INSERT INTO speaker_request (meeting_id, participant_id, agenda_item_id, client_key, seq) VALUES ($1, $2, $3, 'k', 1)`,
        [b.meeting, b.person, removedItem],
      );
      // And what only a hand-made change could: link rows to nothing, an agenda item of no meeting.
      await c.query('INSERT INTO task_cooperating_unit (task_item_id, unit_id) VALUES ($1, $2), ($1, $3)', [
        task,
        b.unit,
        randomUUID(),
      ]);
      await c.query(`INSERT INTO poll_ballot (poll_id, choice, receipt) VALUES ($1, 'yes', 'r1')`, [
        randomUUID(),
      ]);
      await c.query(
        `INSERT INTO agenda_item (meeting_id, position, title, category) VALUES ($1, 1, 'orphan', 'key_work')`,
        [randomUUID()],
      );
      await c.query(`INSERT INTO invitation (meeting_id, participant_id, policy_id) VALUES ($1, $2, $3)`, [
        b.meeting,
        b.person,
        randomUUID(),
      ]);
      return { ...b, task, keptTask };
    });

    expect(await runMigrations(url)).toContain(FOREIGN_KEYS);

    await withClient(url, async (c) => {
      const agendaOf = async (id: string): Promise<unknown> =>
        (await c.query('SELECT agenda_item_id FROM task_item WHERE id = $1', [id])).rows[0]?.agenda_item_id;
      expect(await agendaOf(ids.task)).toBeNull();
      expect(await agendaOf(ids.keptTask)).toBe(ids.agendaItem);
      expect((await c.query('SELECT agenda_item_id FROM speaker_request')).rows).toEqual([
        { agenda_item_id: null },
      ]);
      expect((await c.query('SELECT unit_id FROM task_cooperating_unit')).rows).toEqual([
        { unit_id: ids.unit },
      ]);
      expect(await count(c, 'SELECT 1 FROM poll_ballot')).toBe(0);
      expect((await c.query('SELECT title FROM agenda_item')).rows).toEqual([{ title: 'a' }]);
      expect((await c.query('SELECT policy_id FROM invitation')).rows).toEqual([{ policy_id: null }]);
      const audit = await c.query(`SELECT after FROM audit_log WHERE action = 'schema.references_repaired'`);
      expect(audit.rows).toEqual([
        {
          after: {
            migration: FOREIGN_KEYS,
            'fk_agenda_item_meeting_id: rows deleted': 1,
            'fk_poll_ballot_poll_id: rows deleted': 1,
            'fk_task_cooperating_unit_unit_id: rows deleted': 1,
            'fk_invitation_policy_id: set to null': 1,
            'fk_task_item_agenda_item_id: set to null': 1,
            'fk_speaker_request_agenda_item_id: set to null': 1,
          },
        },
      ]);
      expect(await count(c, "SELECT 1 FROM pg_constraint WHERE contype = 'f'")).toBeGreaterThan(50);
    });
  });

  it('stops and names a required reference it cannot repair; applies once a person has decided', async () => {
    const url = await beforeForeignKeys();
    const { task, bad } = await withClient(url, async (c) => {
      const b = await basics(c);
      return { task: await taskItem(c, b.unit, randomUUID()), bad: await taskItem(c, randomUUID(), null) };
    });

    await expect(runMigrations(url)).rejects.toThrow(
      /required references point at missing rows.*1 row\(s\) of task_item\.lead_unit_id refer to a missing unit/,
    );
    await withClient(url, async (c) => {
      // Nothing of it stayed: no key, no repair, not recorded as applied.
      expect(await count(c, "SELECT 1 FROM pg_constraint WHERE contype = 'f'")).toBe(0);
      expect(
        (await c.query('SELECT agenda_item_id FROM task_item WHERE id = $1', [task])).rows[0]?.agenda_item_id,
      ).not.toBeNull();
      expect(await count(c, 'SELECT 1 FROM schema_migrations WHERE name = $1', [FOREIGN_KEYS])).toBe(0);
      await c.query('DELETE FROM task_item WHERE id = $1', [bad]);
    });
    expect(await runMigrations(url)).toContain(FOREIGN_KEYS);
    expect(await pendingSchemaSql(url)).toEqual({ up: [], down: [] });
  });
});
