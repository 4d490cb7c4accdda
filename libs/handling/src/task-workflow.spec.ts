import { ROLES, TASK_STATES, type TaskState } from '@liexi/contracts';
import {
  TASK_ACTIONS,
  TASK_ACTION_ROLES,
  allowedTaskActions,
  replyLevel,
  taskTarget,
  type TaskAction,
} from './task-workflow';

/**
 * The closed loop written out by hand (交办 → 接收 → 整改 → 答复 → 评价 → 销号, with 退回 and 重办):
 * for every action, the [from, to] pairs that are legal. Anything not listed must be refused.
 */
const EXPECTED: Record<TaskAction, ReadonlyArray<readonly [TaskState, TaskState]>> = {
  assign: [
    ['draft', 'assigned'],
    ['returned', 'assigned'],
  ],
  accept: [['assigned', 'accepted']],
  return: [['assigned', 'returned']],
  start: [
    ['accepted', 'in_progress'],
    ['reopened', 'in_progress'],
  ],
  draft_reply: [
    ['accepted', 'reply_drafted'],
    ['in_progress', 'reply_drafted'],
  ],
  sign_reply: [['reply_drafted', 'reply_signed']],
  review_reply: [['reply_signed', 'reply_reviewed']],
  approve_reply: [['reply_reviewed', 'reply_approved']],
  send_back_reply: [
    ['reply_drafted', 'in_progress'],
    ['reply_signed', 'in_progress'],
    ['reply_reviewed', 'in_progress'],
  ],
  send_reply: [['reply_approved', 'replied']],
  evaluate: [['replied', 'evaluated']],
  reopen: [
    ['replied', 'reopened'],
    ['evaluated', 'reopened'],
    ['closed', 'reopened'],
  ],
  close: [
    ['evaluated', 'closed'],
    ['replied', 'closed'],
  ],
};

function expectedTarget(from: TaskState, action: TaskAction): TaskState | null {
  const pair = EXPECTED[action].find(([f]) => f === from);
  return pair ? pair[1] : null;
}

function expectedActions(from: TaskState): TaskAction[] {
  return TASK_ACTIONS.filter((a) => expectedTarget(from, a) !== null);
}

describe('task workflow', () => {
  describe('the expected table itself', () => {
    it('covers every action exactly once', () => {
      expect(Object.keys(EXPECTED).sort()).toEqual([...TASK_ACTIONS].sort());
    });

    it('only names known states', () => {
      for (const pairs of Object.values(EXPECTED)) {
        for (const [from, to] of pairs) {
          expect(TASK_STATES).toContain(from);
          expect(TASK_STATES).toContain(to);
        }
      }
    });

    it('lists 13 states and 13 actions', () => {
      expect(TASK_STATES).toHaveLength(13);
      expect(TASK_ACTIONS).toHaveLength(13);
    });
  });

  describe('taskTarget for every state × action', () => {
    const cases = TASK_STATES.flatMap((from) =>
      TASK_ACTIONS.map((action) => [from, action, expectedTarget(from, action)] as const),
    );

    it('has 169 cases', () => {
      expect(cases).toHaveLength(169);
    });

    test.each(cases)('%s --%s--> %s', (from, action, to) => {
      expect(taskTarget(from, action)).toBe(to);
    });
  });

  describe('allowedTaskActions', () => {
    test.each(TASK_STATES.map((s) => [s, expectedActions(s)] as const))(
      'from %s allows %j',
      (from, actions) => {
        expect(allowedTaskActions(from)).toEqual(actions);
      },
    );

    it('from draft only assign is allowed', () => {
      expect(allowedTaskActions('draft')).toEqual(['assign']);
    });

    it('from replied the proposer may evaluate, reopen, or the secretariat may close', () => {
      expect(allowedTaskActions('replied')).toEqual(['evaluate', 'reopen', 'close']);
    });
  });

  describe('TASK_ACTION_ROLES', () => {
    test.each([...TASK_ACTIONS])('%s has a non-empty list of known roles', (action) => {
      const roles = TASK_ACTION_ROLES[action];
      expect(Array.isArray(roles)).toBe(true);
      expect(roles.length).toBeGreaterThan(0);
      for (const role of roles) expect(ROLES).toContain(role);
      expect(new Set(roles).size).toBe(roles.length);
    });

    it('has no entries for unknown actions', () => {
      expect(Object.keys(TASK_ACTION_ROLES).sort()).toEqual([...TASK_ACTIONS].sort());
    });

    it('lets the secretariat assign and close, the unit accept, the proposer evaluate', () => {
      expect(TASK_ACTION_ROLES.assign).toEqual(['secretariat']);
      expect(TASK_ACTION_ROLES.close).toEqual(['secretariat']);
      expect(TASK_ACTION_ROLES.accept).toEqual(['unit_handler']);
      expect(TASK_ACTION_ROLES.evaluate).toEqual(['attendee']);
    });
  });

  describe('reply approval levels', () => {
    it('head signs, government office reviews, leader approves', () => {
      expect(replyLevel('reply_drafted')).toEqual({ level: 'sign', role: 'unit_handler', unitHead: true });
      expect(replyLevel('reply_signed')).toEqual({ level: 'review', role: 'secretariat', unitHead: false });
      expect(replyLevel('reply_reviewed')).toEqual({ level: 'approve', role: 'leader', unitHead: false });
    });

    test.each(TASK_STATES.filter((s) => !['reply_drafted', 'reply_signed', 'reply_reviewed'].includes(s)))(
      '%s waits on no approval level',
      (s) => {
        expect(replyLevel(s)).toBeNull();
      },
    );

    it('the role of each level may send back (and only there)', () => {
      for (const s of ['reply_drafted', 'reply_signed', 'reply_reviewed'] as const) {
        expect(TASK_ACTION_ROLES.send_back_reply).toContain(replyLevel(s)?.role);
      }
    });
  });

  describe('paths through the loop', () => {
    function walk(start: TaskState, actions: TaskAction[]): TaskState {
      let state = start;
      for (const action of actions) {
        const next = taskTarget(state, action);
        if (next === null) throw new Error(`${action} not allowed from ${state}`);
        state = next;
      }
      return state;
    }

    it('the happy path from draft ends closed', () => {
      expect(
        walk('draft', [
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
        ]),
      ).toBe('closed');
    });

    it('a returned item can be reassigned and a sent-back reply reworked', () => {
      expect(walk('draft', ['assign', 'return', 'assign', 'accept'])).toBe('accepted');
      expect(
        walk('accepted', [
          'draft_reply',
          'send_back_reply',
          'draft_reply',
          'sign_reply',
          'send_back_reply',
          'draft_reply',
          'sign_reply',
          'review_reply',
          'send_back_reply',
          'draft_reply',
          'sign_reply',
          'review_reply',
          'approve_reply',
        ]),
      ).toBe('reply_approved');
    });

    it('a closed item reopened at re-inspection goes round again (二次办理)', () => {
      expect(
        walk('closed', [
          'reopen',
          'start',
          'draft_reply',
          'sign_reply',
          'review_reply',
          'approve_reply',
          'send_reply',
          'close',
        ]),
      ).toBe('closed');
    });

    test.each(TASK_STATES.filter((s) => s !== 'closed'))('%s has a way forward', (state) => {
      expect(allowedTaskActions(state).length).toBeGreaterThan(0);
    });

    it('closed can only be reopened', () => {
      expect(allowedTaskActions('closed')).toEqual(['reopen']);
      expect(taskTarget('closed', 'reopen')).toBe('reopened');
    });

    it('every state can reach closed', () => {
      for (const start of TASK_STATES) {
        const seen = new Set<TaskState>([start]);
        const queue: TaskState[] = [start];
        while (queue.length > 0) {
          const s = queue.shift() as TaskState;
          for (const a of TASK_ACTIONS) {
            const t = taskTarget(s, a);
            if (t !== null && !seen.has(t)) {
              seen.add(t);
              queue.push(t);
            }
          }
        }
        expect([start, seen.has('closed')]).toEqual([start, true]);
      }
    });
  });
});
