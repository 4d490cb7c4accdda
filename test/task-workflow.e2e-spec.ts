/* The whole transition table over HTTP on a real PostgreSQL: every state × every action, each
 * by the actor entitled to it — legal moves land where the table says, illegal ones are refused
 * with INVALID_TRANSITION and the allowed actions; and a real race of two transitions. */
import { TASK_STATES, type TaskState } from '@liexi/contracts';
import { TASK_ACTIONS, type TaskAction, allowedTaskActions, taskTarget } from '@liexi/handling';
import { Client } from 'pg';
import { startTestApp, type TestApp } from './support/app';
import { type Cast, cast, itemBody, stepper, walk } from './support/tasks';

/** How to bring a fresh item (from member1's input, no cooperating units) into each state. */
const PATHS: Record<TaskState, string[]> = {
  draft: [],
  assigned: ['assign'],
  returned: ['assign', 'return'],
  accepted: ['assign', 'accept'],
  in_progress: ['assign', 'accept', 'start'],
  reply_drafted: ['assign', 'accept', 'start', 'draft_reply'],
  reply_signed: ['assign', 'accept', 'start', 'draft_reply', 'sign_reply'],
  reply_reviewed: ['assign', 'accept', 'start', 'draft_reply', 'sign_reply', 'review_reply'],
  reply_approved: ['assign', 'accept', 'start', 'draft_reply', 'sign_reply', 'review_reply', 'approve_reply'],
  replied: [
    'assign',
    'accept',
    'start',
    'draft_reply',
    'sign_reply',
    'review_reply',
    'approve_reply',
    'send_reply',
  ],
  evaluated: [
    'assign',
    'accept',
    'start',
    'draft_reply',
    'sign_reply',
    'review_reply',
    'approve_reply',
    'send_reply',
    'evaluate',
  ],
  reopened: [
    'assign',
    'accept',
    'start',
    'draft_reply',
    'sign_reply',
    'review_reply',
    'approve_reply',
    'send_reply',
    'reopen',
  ],
  closed: [
    'assign',
    'accept',
    'start',
    'draft_reply',
    'sign_reply',
    'review_reply',
    'approve_reply',
    'send_reply',
    'evaluate',
    'close',
  ],
};

describe('task workflow over HTTP', () => {
  let t: TestApp;
  let c: Cast;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false' });
    c = await cast(t.baseUrl);
  });
  afterAll(async () => {
    for (const s of c?.sockets ?? []) s.close();
    await t.close();
  });

  async function itemIn(state: TaskState): Promise<string> {
    const inputId = await c.input();
    const item = await c.secretary.ok(
      c.secretary.post('/api/tasks', itemBody(c, { inputIds: [inputId] })),
      201,
    );
    const last = await walk(c, item.id, PATHS[state]);
    expect((last ?? item).state).toBe(state);
    return item.id as string;
  }

  /** The actor entitled to `action` on an item in `state` (send-back: the level's own role). */
  function act(action: TaskAction, state: TaskState, id: string): Promise<{ status: number; body: any }> {
    if (action === 'send_back_reply') {
      const by = state === 'reply_drafted' ? c.head : state === 'reply_reviewed' ? c.leader : c.secretary;
      return by.post(`/api/tasks/${id}/reply/send-back`, { reason: '请补充办理依据' });
    }
    const fn = stepper(c)[action];
    if (!fn) throw new Error(`no step for ${action}`);
    return fn(id);
  }

  describe.each([...TASK_STATES])('from %s', (state) => {
    const illegal = TASK_ACTIONS.filter((a) => taskTarget(state, a) === null);
    const legal = TASK_ACTIONS.filter((a) => taskTarget(state, a) !== null);

    it(`refuses ${illegal.length} illegal actions with INVALID_TRANSITION and the allowed list`, async () => {
      const id = await itemIn(state);
      for (const action of illegal) {
        const res = await act(action, state, id);
        expect([action, res.status, res.body.code]).toEqual([action, 409, 'INVALID_TRANSITION']);
        expect(res.body.allowed).toEqual(allowedTaskActions(state));
      }
      const after = await c.secretary.ok(c.secretary.get(`/api/tasks/${id}`));
      expect(after.state).toBe(state);
    });

    test.each(legal)(`allows %s`, async (action) => {
      const id = await itemIn(state);
      const res = await act(action, state, id);
      if (state === 'replied' && action === 'close') {
        // The table allows close from replied only once every proposer has rated.
        expect([res.status, res.body.code]).toEqual([409, 'INVALID_TRANSITION']);
        return;
      }
      expect([res.status, res.body.state]).toEqual([200, taskTarget(state, action)]);
    });
  });

  it('closes a replied item straight away when nobody proposed it (一会一单 from scratch)', async () => {
    const item = await c.secretary.ok(
      c.secretary.post('/api/tasks', itemBody(c, { meetingId: c.meetingId })),
      201,
    );
    const replied = await walk(c, item.id, PATHS.replied);
    expect(replied.state).toBe('replied');
    expect((await walk(c, item.id, ['close'])).state).toBe('closed');
  });

  it('a race of two transitions: exactly one wins, the other gets CONFLICT', async () => {
    const id = await itemIn('assigned');
    // Hold the row so both requests read `assigned` and queue on the guarded UPDATE.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query('BEGIN');
      await db.query('SELECT id FROM task_item WHERE id = $1 FOR UPDATE', [id]);
      const accept = c.handler.post(`/api/tasks/${id}/accept`);
      const ret = c.handler.post(`/api/tasks/${id}/return`, { reason: '不属于本单位职责' });
      // pg_stat_activity is read once per transaction unless its snapshot is cleared: without
      // that, this loop would see the first reading for ever.
      const until = Date.now() + 20_000;
      for (let waiting = 0; waiting < 2;) {
        if (Date.now() > until) throw new Error(`only ${waiting} request(s) queued on the row lock`);
        const rows = await db.query(
          `SELECT pg_stat_clear_snapshot(), (SELECT count(*)::int FROM pg_stat_activity
             WHERE wait_event_type = 'Lock' AND datname = current_database()) AS n`,
        );
        waiting = rows.rows[0].n;
        if (waiting < 2) await new Promise((r) => setTimeout(r, 10));
      }
      await db.query('ROLLBACK');
      const results = await Promise.all([accept, ret]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409);
      expect(loser?.body.code).toBe('CONFLICT');
      const winner = results.find((r) => r.status === 200);
      const after = await c.secretary.ok(c.secretary.get(`/api/tasks/${id}`));
      expect(after.state).toBe(winner?.body.state);
      const audit = await db.query(
        `SELECT action FROM audit_log WHERE entity_id = $1 AND action IN ('task.accept', 'task.return')`,
        [id],
      );
      expect(audit.rows).toHaveLength(1);
    } finally {
      await db.end();
    }
  });

  it('ten concurrent accepts: one wins, nine are refused', async () => {
    const id = await itemIn('assigned');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => c.handler.post(`/api/tasks/${id}/accept`)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(r.body.code);
    }
  });
});
