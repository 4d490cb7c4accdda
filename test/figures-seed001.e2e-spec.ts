/* Figures checked figure by figure against an independent count: a data set of the shape of
 * seed 001 (170 items) is written with plain SQL, the figure facts derived from it, and every
 * figure, part, filter and drill-down compared with arithmetic over the plan it was made from.
 * The same data go out as the .xlsx ledger (opened back, cell by cell) and the annual report
 * PDF (its text extracted and checked). */
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { SETTLED, SUMMARY_COLUMNS, TaskFigureFacts } from '@liexi/handling';
import {
  LEDGER_COLUMNS,
  type LedgerExportOptions,
  LedgerExportService,
  LedgerService,
} from '@liexi/insights';
import { Api, startTestApp, type TestApp } from './support/app';
import { N, type PlannedItem, type Seeded, seed001 } from './support/seed-001';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfText = require('pdf-parse/lib/pdf-parse.js') as (b: Buffer) => Promise<{ text: string }>;

const YEAR = `from=${encodeURIComponent('2024-01-01T00:00:00+08:00')}&to=${encodeURIComponent('2025-01-01T00:00:00+08:00')}`;
const local = (d: Date): string => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const RATING_ZH: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};
const STATE_ZH: Record<string, string> = { closed: '已销号', evaluated: '已评价', in_progress: '办理中' };
const score = (r: string | null): number | null =>
  r === null ? null : r === 'satisfied' ? 2 : r === 'basically_satisfied' ? 1 : 0;

/** Working days after `from` up to `to` (weekdays; the test sets no holidays). */
function workingDays(from: string, to: string): number {
  let n = 0;
  for (let d = new Date(`${from}T00:00:00Z`); ;) {
    d = new Date(d.getTime() + 86_400_000);
    const s = d.toISOString().slice(0, 10);
    if (s > to) return n;
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) n++;
  }
}

/** The parts of each figure, counted over the plan with no SQL. */
function expected(items: PlannedItem[], today: string): Record<string, Record<string, number>> {
  const count = (f: (p: PlannedItem) => boolean): number => items.filter(f).length;
  const final = (p: PlannedItem): number | null => score(p.round2 ?? p.round1);
  const onTime = (p: PlannedItem): boolean =>
    p.firstReply !== null && local(p.firstReply) <= (p.deadlineAtReply as string);
  const handling = (p: PlannedItem): boolean => p.state === 'in_progress';
  return {
    assigned: {
      total: items.length,
      handling: count(handling),
      answered: count((p) => p.state === 'evaluated'),
      closed: count((p) => p.state === 'closed'),
    },
    reply_rate: {
      total: items.length,
      replied: count((p) => !!p.firstReply),
      not_replied: count((p) => !p.firstReply),
    },
    on_time_rate: {
      total: count((p) => !!p.firstReply || p.deadline < today),
      on_time: count(onTime),
      late: count((p) => !!p.firstReply && !onTime(p)),
      overdue_unreplied: count((p) => !p.firstReply && p.deadline < today),
    },
    overdue: {
      total: count(handling),
      overdue: count((p) => handling(p) && p.deadline < today),
      in_time: count((p) => handling(p) && p.deadline >= today),
    },
    satisfaction_rate: {
      total: count((p) => final(p) !== null),
      satisfied: count((p) => final(p) === 2),
      basically_satisfied: count((p) => final(p) === 1),
      unsatisfied: count((p) => final(p) === 0),
    },
    first_time_satisfaction_rate: {
      total: count((p) => p.round1 !== null),
      satisfied: count((p) => p.round1 === 'satisfied'),
      basically_satisfied: count((p) => p.round1 === 'basically_satisfied'),
      unsatisfied: count((p) => p.round1 === 'unsatisfied'),
    },
    second_handling: {
      total: items.length,
      reopened: count((p) => p.reopened),
      once: count((p) => !p.reopened),
    },
    resolution_rate: {
      total: items.length,
      resolved: count((p) => p.state === 'closed' && p.taskClass !== 'C'),
      explained: count((p) => p.state === 'closed' && p.taskClass === 'C'),
      open: count((p) => p.state !== 'closed'),
    },
    contact_rate: {
      total: items.length,
      face_to_face: count((p) => p.contact === 'visit'),
      other_contact: count((p) => p.contact === 'phone'),
      no_contact: count((p) => p.contact === null),
    },
    classes: {
      total: items.length,
      A: count((p) => p.taskClass === 'A'),
      B: count((p) => p.taskClass === 'B'),
      C: count((p) => p.taskClass === 'C'),
    },
    co_handled_share: {
      total: items.length,
      co_handled: count((p) => p.coUnit !== null),
      single_unit: count((p) => p.coUnit === null),
    },
  };
}

describe('figures on a seed-001-shaped data set (170 items)', () => {
  let t: TestApp;
  let db: Client;
  let sec: Api;
  let s: Seeded;
  let today: string;

  const figures = async (query: string): Promise<Record<string, Record<string, number>>> => {
    const body = await sec.ok(sec.get(`/api/figures?${query}`));
    today = body.today;
    return Object.fromEntries(
      body.figures.map((f: any) => [
        f.code,
        { total: f.total, ...Object.fromEntries(f.parts.map((p: any) => [p.code, p.count])) },
      ]),
    );
  };
  const pick = (
    got: Record<string, Record<string, number>>,
    want: Record<string, unknown>,
  ): Record<string, unknown> => Object.fromEntries(Object.keys(want).map((k) => [k, got[k]]));

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    sec = await Api.login(t.baseUrl, 'secretary');
    const account = (await db.query(`SELECT id FROM account WHERE username = 'secretary'`)).rows[0].id;
    s = await seed001(db, account);
    await t.app.get(TaskFigureFacts).rebuild();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('every figure and part equals the count over the plan; parts add up to the total', async () => {
    const got = await figures(YEAR);
    const want = expected(s.items, today);
    expect(pick(got, want)).toEqual(want);
    // The shape of seed 001, but adding up: 115 + 49 + 6 = 170.
    expect(want.classes).toEqual({ total: N, A: 115, B: 49, C: 6 });
    expect(want.co_handled_share.co_handled).toBe(147);
    for (const f of Object.values(got)) {
      const { total, ...parts } = f;
      expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(total);
    }
    // The corner cases: an extension approved before the late reply makes it on time; one after it does not.
    expect(want.on_time_rate.on_time).toBe(N - 2 - 24 + 1);
    const body = await sec.ok(sec.get(`/api/figures?${YEAR}`));
    const rate = (code: string): number => body.figures.find((f: any) => f.code === code).value;
    expect(body.figures.find((f: any) => f.code === 'classes').parts.map((p: any) => p.share)).toEqual([
      0.6765, 0.2882, 0.0353,
    ]);
    expect(rate('reply_rate')).toBe(Math.round((168 / 170) * 10000) / 10000);
    expect(rate('co_handled_share')).toBe(Math.round((147 / 170) * 10000) / 10000);
    const overdue = body.figures.find((f: any) => f.code === 'overdue');
    const open = s.items.filter((p) => p.state === 'in_progress');
    expect(overdue.overdueDays).toBe(open.reduce((n, p) => n + workingDays(p.deadline, today), 0));
  });

  it('each filter narrows to exactly the planned items', async () => {
    const cases: [string, (p: PlannedItem) => boolean][] = [
      [`unitId=${s.units[3]}`, (p) => p.unit === 3],
      ['taskClass=B', (p) => p.taskClass === 'B'],
      [
        `from=${encodeURIComponent('2024-06-01T00:00:00+08:00')}&to=${encodeURIComponent('2024-07-01T00:00:00+08:00')}`,
        (p) => local(p.assignedAt) >= '2024-06-01' && local(p.assignedAt) < '2024-07-01',
      ],
      ['meetingKind=assignment', (p) => p.meeting === 1],
      [`meetingId=${s.meetings[0]}`, (p) => p.meeting === 0],
      ['category=major_matter', (p) => p.agenda === 1],
      ['constituency=deputy', (p) => p.deputy],
      [
        'taskClass=A&constituency=cppcc_member&meetingKind=executive',
        (p) => p.taskClass === 'A' && !p.deputy && p.meeting === 0,
      ],
    ];
    for (const [query, keep] of cases) {
      const items = s.items.filter(keep);
      expect(items.length).toBeGreaterThan(0);
      const want = expected(items, today);
      const q = query.startsWith('from=') ? query : `${YEAR}&${query}`;
      expect({ query, got: pick(await figures(q), want) }).toEqual({ query, got: want });
    }
  });

  it('every figure equals an independent SQL count over the raw records (not the figure facts)', async () => {
    // Written here, separately from the module: task_item, task_reply, task_evaluation,
    // task_deadline_change, task_cooperating_unit and task_contact only — task_figure_fact is not read.
    const got = await figures(YEAR); // (also sets `today`, the server's date)
    const { rows } = await db.query(
      `WITH t AS (
         SELECT i.id, i.state, i.task_class, i.deadline, i.reopen_count,
           (SELECT min(r.sent_at) FROM task_reply r WHERE r.task_item_id = i.id AND r.sent_at IS NOT NULL) AS first_sent,
           (SELECT min(CASE e.rating WHEN 'satisfied' THEN 2 WHEN 'basically_satisfied' THEN 1 ELSE 0 END)
              FROM task_evaluation e WHERE e.task_item_id = i.id AND e.round = 1) AS first_score,
           (SELECT min(CASE e.rating WHEN 'satisfied' THEN 2 WHEN 'basically_satisfied' THEN 1 ELSE 0 END)
              FROM task_evaluation e WHERE e.task_item_id = i.id
                AND e.round = (SELECT max(round) FROM task_evaluation x WHERE x.task_item_id = i.id)) AS final_score,
           EXISTS (SELECT 1 FROM task_cooperating_unit c WHERE c.task_item_id = i.id) AS co,
           EXISTS (SELECT 1 FROM task_contact k WHERE k.task_item_id = i.id AND k.kind IN ('visit', 'meeting', 'site')) AS met,
           EXISTS (SELECT 1 FROM task_contact k WHERE k.task_item_id = i.id) AS contacted
         FROM task_item i
         WHERE i.assigned_at >= '2024-01-01T00:00:00+08:00' AND i.assigned_at < '2025-01-01T00:00:00+08:00'),
       d AS (
         SELECT t.*, (t.first_sent AT TIME ZONE 'Asia/Shanghai')::date <= coalesce(
           (SELECT c.previous_deadline FROM task_deadline_change c WHERE c.task_item_id = t.id
              AND c.status = 'approved' AND c.decided_at > t.first_sent ORDER BY c.decided_at LIMIT 1),
           t.deadline) AS on_time
         FROM t)
       SELECT count(*)::int AS assigned,
         count(*) FILTER (WHERE first_sent IS NOT NULL)::int AS replied,
         count(*) FILTER (WHERE on_time)::int AS on_time,
         count(*) FILTER (WHERE first_sent IS NOT NULL OR deadline < $1::date)::int AS due,
         count(*) FILTER (WHERE final_score >= 1)::int AS satisfied_or_basic,
         count(*) FILTER (WHERE final_score IS NOT NULL)::int AS rated,
         count(*) FILTER (WHERE first_score >= 1)::int AS first_ok,
         count(*) FILTER (WHERE first_score IS NOT NULL)::int AS first_rated,
         count(*) FILTER (WHERE reopen_count > 0)::int AS reopened,
         count(*) FILTER (WHERE state = 'closed' AND task_class <> 'C')::int AS resolved,
         count(*) FILTER (WHERE met)::int AS met,
         count(*) FILTER (WHERE contacted AND NOT met)::int AS other_contact,
         count(*) FILTER (WHERE co)::int AS co,
         count(*) FILTER (WHERE task_class = 'A')::int AS a,
         count(*) FILTER (WHERE task_class = 'B')::int AS b,
         count(*) FILTER (WHERE task_class = 'C')::int AS c,
         count(*) FILTER (WHERE state NOT IN ('replied', 'evaluated', 'closed') AND deadline < $1::date)::int AS overdue
       FROM d`,
      [today],
    );
    const sql = rows[0];
    const num = (code: string, ...parts: string[]): number => parts.reduce((n, p) => n + got[code][p], 0);
    expect({
      assigned: got.assigned.total,
      replied: num('reply_rate', 'replied'),
      on_time: num('on_time_rate', 'on_time'),
      due: got.on_time_rate.total,
      satisfied_or_basic: num('satisfaction_rate', 'satisfied', 'basically_satisfied'),
      rated: got.satisfaction_rate.total,
      first_ok: num('first_time_satisfaction_rate', 'satisfied', 'basically_satisfied'),
      first_rated: got.first_time_satisfaction_rate.total,
      reopened: num('second_handling', 'reopened'),
      resolved: num('resolution_rate', 'resolved'),
      met: num('contact_rate', 'face_to_face'),
      other_contact: num('contact_rate', 'other_contact'),
      co: num('co_handled_share', 'co_handled'),
      a: num('classes', 'A'),
      b: num('classes', 'B'),
      c: num('classes', 'C'),
      overdue: num('overdue', 'overdue'),
    }).toEqual(sql);
    // The independent count is not vacuous: the plan's numbers, by construction.
    expect(sql).toMatchObject({ assigned: N, replied: 168, co: 147, a: 115, b: 49, c: 6 });
  });

  it('the unit ranking counts each unit over its own items, ordered by the criteria', async () => {
    await figures(YEAR); // sets `today`
    const body = await sec.ok(
      sec.get(`/api/rankings?${YEAR}&criteria=on_time_rate,satisfaction_rate&limit=50`),
    );
    const r4 = (n: number, d: number): number | null =>
      d === 0 ? null : Math.round((n / d) * 10000) / 10000;
    const want = s.unitNames.map((name, u) => {
      const e = expected(
        s.items.filter((p) => p.unit === u),
        today,
      );
      return {
        unitName: name,
        assigned: e.assigned.total,
        on_time_rate: r4(e.on_time_rate.on_time, e.on_time_rate.total),
        satisfaction_rate: r4(
          e.satisfaction_rate.satisfied + e.satisfaction_rate.basically_satisfied,
          e.satisfaction_rate.total,
        ),
      };
    });
    const got = body.items.map((r: any) => ({
      unitName: r.unitName,
      assigned: r.assigned,
      on_time_rate: r.values.on_time_rate,
      satisfaction_rate: r.values.satisfaction_rate,
    }));
    expect([...got].sort((a, b) => a.unitName.localeCompare(b.unitName))).toEqual(
      [...want].sort((a, b) => a.unitName.localeCompare(b.unitName)),
    );
    // Ordered by on-time rate (higher first), ties by satisfaction; ranks 1..n.
    for (let i = 1; i < got.length; i++) {
      const [a, b] = [got[i - 1], got[i]];
      expect(
        a.on_time_rate > b.on_time_rate ||
          (a.on_time_rate === b.on_time_rate && a.satisfaction_rate >= b.satisfaction_rate),
      ).toBe(true);
    }
    expect(body.items.map((r: any) => r.rank)[0]).toBe(1);
  });

  it('every part drills down to exactly its items, page by page; the pages add up', async () => {
    for (const [code, parts] of [
      ['reply_rate', ['replied', 'not_replied']],
      ['on_time_rate', ['on_time', 'late', 'overdue_unreplied']],
      ['classes', ['A', 'B', 'C']],
      ['satisfaction_rate', ['satisfied', 'basically_satisfied', 'unsatisfied']],
      ['contact_rate', ['face_to_face', 'other_contact', 'no_contact']],
    ] as const) {
      const want = expected(s.items, today)[code];
      const seen = new Set<string>();
      for (const part of [...parts, 'denominator']) {
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const page: any = await sec.ok(
            sec.get(
              `/api/figures/${code}/items?${YEAR}&part=${part}&limit=40${cursor ? `&cursor=${cursor}` : ''}`,
            ),
          );
          expect(page.items.length).toBeLessThanOrEqual(40);
          ids.push(...page.items.map((i: any) => i.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(new Set(ids).size).toBe(ids.length);
        if (part === 'denominator') {
          expect(ids.length).toBe(want.total);
          expect(new Set(ids)).toEqual(seen);
        } else {
          expect({ code, part, n: ids.length }).toEqual({ code, part, n: want[part] });
          for (const id of ids) seen.add(id);
        }
      }
    }
    const late = await sec.ok(sec.get(`/api/figures/on_time_rate/items?${YEAR}&part=late&limit=200`));
    const lateIds = new Set(late.items.map((i: any) => i.id));
    expect(lateIds.has(s.items[14]?.id)).toBe(true); // extended after the reply: still late
    expect(lateIds.has(s.items[7]?.id)).toBe(false); // extended before it: on time
    expect((await sec.get(`/api/figures/reply_rate/items?part=nope`)).status).toBe(400);
    expect((await sec.get(`/api/figures/no_such/items?part=numerator`)).status).toBe(400);
    expect((await sec.get(`/api/figures?${YEAR}&colour=red`)).status).toBe(400);
  });

  it('the ledger .xlsx opens back with Chinese headers and every row, cell by cell', async () => {
    const res = await fetch(`${t.baseUrl}/api/exports/ledger.xlsx?${YEAR}`, {
      headers: { authorization: `Bearer ${sec.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = book.getWorksheet('台账');
    if (!sheet) throw new Error('no sheet 台账');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(LEDGER_COLUMNS.map((c) => c.header));
    expect(sheet.rowCount).toBe(N + 1);
    const col = (name: string): number => LEDGER_COLUMNS.findIndex((c) => c.header === name) + 1;
    for (const p of s.items) {
      const row = sheet.getRow(p.i + 2);
      const cell = (name: string): unknown => row.getCell(col(name)).value;
      expect({
        n: cell('序号'),
        id: cell('编号'),
        problem: cell('事项'),
        lead: cell('牵头单位'),
        coop: cell('配合单位') ?? '',
        cls: cell('分类'),
        assigned: cell('交办日期'),
        deadline: cell('办理时限'),
        replied: cell('答复日期') ?? '',
        state: cell('办理状态'),
        first: cell('首次满意度') ?? '',
        final: cell('最终满意度') ?? '',
        proposers: cell('提出人'),
      }).toEqual({
        n: p.i + 1,
        id: p.id,
        problem: `关于第${p.i + 1}号提案所提问题`,
        lead: s.unitNames[p.unit],
        coop: p.coUnit === null ? '' : s.unitNames[p.coUnit],
        cls: p.taskClass,
        assigned: local(p.assignedAt),
        deadline: p.deadline,
        replied: p.firstReply ? local(p.firstReply) : '',
        state: STATE_ZH[p.state],
        first: p.round1 ? RATING_ZH[p.round1] : '',
        final: (p.round2 ?? p.round1) ? RATING_ZH[(p.round2 ?? p.round1) as string] : '',
        proposers: p.deputy ? `代表${p.i % 10}` : `委员${p.i % 30}`,
      });
    }
  });

  it('the ledger .xlsx is the same written a few rows a page, waiting on every page for the zip', async () => {
    const year = { from: new Date('2024-01-01T00:00:00+08:00'), to: new Date('2025-01-01T00:00:00+08:00') };
    const exporter = t.app.get(LedgerExportService);
    const cells = async (options?: LedgerExportOptions): Promise<unknown[][]> => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      expect(await exporter.write(year, out, options)).toBe(N);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.concat(chunks) as never);
      const rows: unknown[][] = [];
      book.getWorksheet('台账')?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const whole = await cells();
    expect(whole).toHaveLength(N + 1);
    expect(whole.slice(1).map((r) => r[0])).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(await cells({ pageSize: 7, maxBuffered: 0 })).toEqual(whole);
  });

  it('a client gone mid-export ends the export: no hang, no further page read', async () => {
    const year = { from: new Date('2024-01-01T00:00:00+08:00'), to: new Date('2025-01-01T00:00:00+08:00') };
    const exporter = t.app.get(LedgerExportService);
    const reads = jest.spyOn(t.app.get(LedgerService), 'rows');
    try {
      // Gone at the first bytes (a closed socket): at most the pages already being read are read.
      const gone = new Writable({
        write(_chunk, _enc, done): void {
          done();
          this.destroy();
        },
      });
      const n = await exporter.write(year, gone, { pageSize: 5 });
      expect(n).toBeLessThan(N);
      const after = reads.mock.calls.length;
      expect(after).toBeLessThanOrEqual(1 + 2 + n / 5); // those written, and two read ahead
      // Stalled (a slow client that never reads), then gone: the export waits, then ends.
      reads.mockClear();
      const stalled = new Writable({ highWaterMark: 1024, write: (): void => undefined });
      const done = exporter.write(year, stalled, { pageSize: 5, maxBuffered: 0 });
      await new Promise((r) => setTimeout(r, 300));
      stalled.destroy();
      expect(await done).toBeLessThanOrEqual(N);
      const read = reads.mock.calls.length;
      await new Promise((r) => setTimeout(r, 200));
      expect(reads.mock.calls.length).toBe(read); // nothing read after the export ended
    } finally {
      reads.mockRestore();
    }
    // The export still works afterwards.
    const out = new PassThrough();
    out.resume();
    expect(await exporter.write(year, out)).toBe(N);
  });

  it('the annual report PDF says what the figures say, in Chinese', async () => {
    const res = await fetch(
      `${t.baseUrl}/api/exports/report.pdf?${YEAR}&subject=${encodeURIComponent('2024年政协委员提案')}`,
      { headers: { authorization: `Bearer ${sec.token}` } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = (await pdfText(Buffer.from(await res.arrayBuffer()))).text.replace(/\s+/g, '');
    for (const phrase of [
      '关于2024年政协委员提案办理情况的报告',
      '共交办170件',
      '“A”类115件，占总数的67.6%',
      '“B”类49件，占总数的28.8%',
      '“C”类6件，占总数的3.5%',
      '以上三类合计170件，与交办总数170件一致',
      '办复率：168÷170=98.8%',
      '共同办理占比：147÷170=86.5%',
      '在重点工作方面',
      '一、办理情况',
      '三、逾期单位',
      '县住建局',
    ])
      expect({ phrase, found: text.includes(phrase) || text }).toEqual({ phrase, found: true });
  });

  describe('the summary (task_figure_summary)', () => {
    const GROUP = `open, assigned_day::text, meeting_id, agenda_item_id, task_class, constituencies, state,
      deadline::text, deadline_pending, replied_at IS NOT NULL, replied_on_time`;
    /** The summary's groups with their sums (whatever rows they are spread over). */
    const summed = async (): Promise<unknown[]> =>
      (
        await db.query(
          `SELECT ${GROUP}, sum(n)::int AS n,
                  (SELECT array_agg(s ORDER BY i) FROM (
                     SELECT i, sum(x.counts[i])::int AS s FROM task_figure_summary x,
                       generate_subscripts(x.counts, 1) i
                     WHERE (x.open, x.assigned_day, x.meeting_id, x.agenda_item_id, x.task_class, x.constituencies,
                            x.state, x.deadline, x.deadline_pending, x.replied_at, x.replied_on_time)
                       IS NOT DISTINCT FROM
                           (g.open, g.assigned_day, g.meeting_id, g.agenda_item_id, g.task_class, g.constituencies,
                            g.state, g.deadline, g.deadline_pending, g.replied_at, g.replied_on_time)
                     GROUP BY i) y) AS counts
           FROM task_figure_summary g GROUP BY ${GROUP}, g.open, g.assigned_day, g.meeting_id, g.agenda_item_id,
             g.task_class, g.constituencies, g.state, g.deadline, g.deadline_pending, g.replied_at, g.replied_on_time
           HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`,
        )
      ).rows;
    /** The summary counted afresh from the facts (what a rebuild writes). */
    const rebuilt = async (): Promise<unknown[]> => {
      await db.query(`UPDATE task_figure_summary_layout SET layout = 'stale'`);
      await t.app.get(TaskFigureFacts).ensureSummary(40);
      return summed();
    };
    const rows = async (): Promise<number> =>
      (await db.query('SELECT count(*)::int AS n FROM task_figure_summary')).rows[0].n;

    it('settled items decide every predicate without today (what their stored counts assume)', async () => {
      const byToday = SUMMARY_COLUMNS.filter((c) => c.predicate.includes(':today'));
      expect(byToday.length).toBeGreaterThan(3);
      const settled = (await db.query(`SELECT count(*)::int AS n FROM task_figure_fact f WHERE ${SETTLED}`))
        .rows[0].n;
      expect(settled).toBeGreaterThan(100);
      for (const c of byToday) {
        const at = (d: string): string =>
          `coalesce(${c.predicate.replaceAll(':today', `'${d}'::date`)}, false)`;
        const differ = await db.query(
          `SELECT count(*)::int AS n FROM task_figure_fact f
           WHERE ${SETTLED} AND ${at('-infinity')} IS DISTINCT FROM ${at('infinity')}`,
        );
        expect({ column: `${c.code}/${c.part}`, differ: differ.rows[0].n }).toEqual({
          column: `${c.code}/${c.part}`,
          differ: 0,
        });
      }
    });

    it('kept change by change, it equals the facts counted afresh; compaction folds it without changing a sum', async () => {
      const facts = t.app.get(TaskFigureFacts);
      const before = await rebuilt();
      expect(before.length).toBeGreaterThan(20);
      const compacted = await rows();
      // Items moved to other groups through their records (class, state, reopened, day,
      // reply), one at a time and together, then back.
      const ids = [s.items[3].id, s.items[4].id, s.items[40].id, s.items[41].id] as string[];
      const saved = (
        await db.query(
          `SELECT id, task_class, state, reopen_count, assigned_at FROM task_item WHERE id = ANY($1) ORDER BY id`,
          [ids],
        )
      ).rows;
      await db.query(
        `UPDATE task_item SET task_class = 'C', class_reason = 'x', state = 'in_progress', reopen_count = reopen_count + 1,
           assigned_at = assigned_at + interval '30 days' WHERE id = ANY($1)`,
        [ids.slice(0, 2)],
      );
      await facts.refresh(ids.slice(0, 2));
      await db.query(`UPDATE task_reply SET sent_at = NULL WHERE task_item_id = $1`, [ids[2]]);
      await facts.refresh([ids[2]]);
      await facts.refresh(ids);
      expect(await rows()).toBeGreaterThan(compacted);
      const moved = await summed();
      expect(moved).not.toEqual(before);
      expect(await rebuilt()).toEqual(moved);
      for (const r of saved)
        await db.query(
          `UPDATE task_item SET task_class = $2, state = $3, reopen_count = $4, assigned_at = $5 WHERE id = $1`,
          [r.id, r.task_class, r.state, r.reopen_count, r.assigned_at],
        );
      await db.query(
        `UPDATE task_reply SET sent_at = approved_at WHERE task_item_id = $1 AND sent_at IS NULL`,
        [ids[2]],
      );
      await facts.refresh(ids);
      expect(await summed()).toEqual(before);
      expect(await facts.compact()).toBe(compacted);
      expect(await summed()).toEqual(before);
    });

    it('writers changing items of the same groups at once (more than the pool has connections), with a compaction meanwhile, lose nothing', async () => {
      const facts = t.app.get(TaskFigureFacts);
      const before = await summed();
      // More concurrent refreshes than the pool has connections, all in the same groups.
      const ids = s.items.slice(0, 60).map((p) => p.id as string);
      await Promise.all(ids.map((id) => facts.refresh([id])));
      await Promise.all([...ids.map((id) => facts.refresh([id])), facts.compact()]);
      expect(await summed()).toEqual(before);
    });

    it('a node starting while another holds the summary waits for it, then rebuilds a stale layout', async () => {
      const before = await summed();
      await db.query(`UPDATE task_figure_summary_layout SET layout = 'stale'`);
      const other = new Client({ connectionString: t.databaseUrl });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`SELECT pg_advisory_xact_lock(hashtext('liexi:task-figure-summary'))`);
        let done = false;
        const ensuring = t.app
          .get(TaskFigureFacts)
          .ensureSummary(50)
          .then(() => {
            done = true;
          });
        await new Promise((r) => setTimeout(r, 800));
        expect(done).toBe(false);
        await other.query('COMMIT');
        await ensuring;
        expect(done).toBe(true);
      } finally {
        await other.end();
      }
      expect((await db.query('SELECT layout FROM task_figure_summary_layout')).rows[0].layout).not.toBe(
        'stale',
      );
      expect(await summed()).toEqual(before);
    });

    it('a period cut mid-day adds its ends from the facts; a meeting alone reads the summary; both equal the per-unit sums (facts only)', async () => {
      // Items are assigned at 02:00 UTC, one a day: this period starts and ends inside a day
      // with an item, so its ends come from the facts, the whole days between from the summary.
      // The same period per lead unit is counted on the facts alone: the units add up to it.
      const period = `from=${encodeURIComponent('2024-06-01T01:00:00Z')}&to=${encodeURIComponent('2024-08-15T03:00:00Z')}`;
      const tasks = Object.keys(expected(s.items, today));
      const only = (f: Record<string, Record<string, number>>): unknown =>
        pick(f, Object.fromEntries(tasks.map((c) => [c, 1])));
      const perUnit = async (query: string): Promise<Record<string, Record<string, number>>> => {
        const sum: Record<string, Record<string, number>> = {};
        for (const unitId of s.units)
          for (const [code, counts] of Object.entries(await figures(`${query}&unitId=${unitId}`)))
            for (const [k, v] of Object.entries(counts)) {
              sum[code] ??= {};
              sum[code][k] = (sum[code][k] ?? 0) + v;
            }
        return sum;
      };
      const whole = await figures(period);
      const inPeriod = s.items.filter(
        (p) =>
          p.assignedAt >= new Date('2024-06-01T01:00:00Z') && p.assignedAt < new Date('2024-08-15T03:00:00Z'),
      );
      expect(whole.assigned.total).toBe(inPeriod.length);
      expect(pick(whole, expected(inPeriod, today))).toEqual(expected(inPeriod, today));
      expect(only(whole)).toEqual(only(await perUnit(period)));
      for (const q of [
        `meetingId=${s.meetings[0]}`,
        'constituency=deputy',
        `constituency=deputy&${period}`,
      ]) {
        const got = await figures(q);
        expect(got.assigned.total).toBeGreaterThan(0);
        expect({ q, got: only(got) }).toEqual({ q, got: only(await perUnit(q)) });
      }
    });

    it('a proposer whose constituency changes takes their items with them, in the figures and the drill-downs', async () => {
      const deputyItems = s.items.filter((p) => p.deputy);
      const proposer = (
        await db.query('SELECT participant_id FROM task_proposer WHERE task_item_id = $1', [
          deputyItems[0].id,
        ])
      ).rows[0].participant_id as string;
      const theirs = (
        await db.query('SELECT task_item_id FROM task_proposer WHERE participant_id = $1', [proposer])
      ).rows.map((r) => r.task_item_id as string);
      const moved = deputyItems.filter((p) => theirs.includes(p.id as string));
      expect(moved.length).toBeGreaterThan(0);
      const drill = async (c: string): Promise<string[]> =>
        (await sec.all(`/api/figures/assigned/items?${YEAR}&part=denominator&constituency=${c}`)).map(
          (i: any) => i.id as string,
        );
      await sec.ok(sec.request('PATCH', `/api/participants/${proposer}`, { constituency: 'expert' }));
      try {
        const deputies = await figures(`${YEAR}&constituency=deputy`);
        const rest = deputyItems.filter((p) => !theirs.includes(p.id as string));
        expect(pick(deputies, expected(rest, today))).toEqual(expected(rest, today));
        const experts = await figures(`${YEAR}&constituency=expert`);
        expect(pick(experts, expected(moved, today))).toEqual(expected(moved, today));
        expect((await drill('expert')).sort()).toEqual(moved.map((p) => p.id as string).sort());
      } finally {
        await sec.ok(sec.request('PATCH', `/api/participants/${proposer}`, { constituency: 'deputy' }));
      }
      const back = await figures(`${YEAR}&constituency=deputy`);
      expect(pick(back, expected(deputyItems, today))).toEqual(expected(deputyItems, today));
      expect(await drill('expert')).toEqual([]);
    });
  });
});
