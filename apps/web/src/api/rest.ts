import { createLiexiClient, type LiexiClient, type paths } from '@liexi/client';
import type { Constituency, ErrorBody, MeetingKind, Rating } from '@liexi/contracts';
import type {
  CheckInCode,
  CodeCheckIn,
  FigureFilter,
  FiguresOverview,
  GenerationResult,
  HistoryEntry,
  Invitation,
  InvitationPolicy,
  LateUnit,
  LedgerRow,
  Meeting,
  MeetingSummary,
  NewTaskItem,
  Page,
  Participant,
  Ranking,
  Session,
  SupervisionDashboard,
  TaskItem,
  TaxonomyTerm,
  Unit,
} from './types';

/*
 * Every HTTP call of the screens, and nothing else does HTTP: the typed client generated from the
 * OpenAPI document (libs/client: openapi-fetch over `paths`), so routes, parameters, bodies and
 * answers are checked by the compiler. Lists are pages `{items, nextCursor}`; `all` walks them
 * where a screen needs the whole list.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
  get code(): string {
    return this.body?.code ?? (this.status === 0 ? 'NETWORK' : 'INTERNAL');
  }
}

/** The language the server answers its messages in (zh-CN first). */
let acceptLanguage = 'zh-CN,zh;q=0.9,en;q=0.5';
export function setAcceptLanguage(lang: 'zh' | 'en'): void {
  acceptLanguage = lang === 'zh' ? 'zh-CN,zh;q=0.9,en;q=0.5' : 'en,zh-CN;q=0.5';
}

/** What every generated call answers. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiError (status 0 when the network failed). */
async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch {
    throw new ApiError(0, null);
  }
  const { data, error, response } = answer;
  if (!response.ok) throw new ApiError(response.status, (error ?? null) as ErrorBody | null);
  return data as T; // an answer without a body (none of the routes called here) reads as undefined
}

/** Every item of a list, following `nextCursor` page by page. */
async function all<T>(page: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** The routes of the loop's steps under `/api/tasks/{id}/` (`reply/sign`, …). */
/** The figure codes the drill-down route accepts (from the document). */
export type FigureCode = paths['/api/figures/{code}/items']['get']['parameters']['path']['code'];

export type TaskStepPath =
  | 'assign'
  | 'accept'
  | 'return'
  | 'start'
  | 'progress'
  | 'reply'
  | 'reply/sign'
  | 'reply/review'
  | 'reply/approve'
  | 'reply/send-back'
  | 'reply/send'
  | 'reopen'
  | 'close';

/** A row behind a part of a figure (the document types them only as objects; see its description). */
export interface FigureRow {
  kind: 'item' | 'input' | 'person_time';
  id?: string;
  problem?: string;
  leadUnit?: string;
  state?: string;
  deadline?: string;
  text?: string;
  disposition?: string;
  invitationId?: string;
  meetingTitle?: string;
  participantName?: string;
  status?: string;
}

/** A downloaded file (the exports answer with a body and its name). */
export interface Download {
  blob: Blob;
  filename: string;
}

function filenameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  return /filename="?([^";]+)"?/i.exec(cd)?.[1] ?? fallback;
}

export class Rest {
  private readonly api: LiexiClient;

  constructor(token: string | null = null) {
    this.api = createLiexiClient(location.origin, token ? { token } : {});
    this.api.use({
      onRequest: ({ request }) => {
        request.headers.set('accept-language', acceptLanguage);
        return request;
      },
    });
  }

  // Sessions
  login = (username: string, password: string): Promise<Session> =>
    ok(this.api.POST('/api/auth/login', { body: { username, password } }));
  checkInWithCode = (payload: string): Promise<CodeCheckIn> =>
    ok(this.api.POST('/api/check-in', { body: { payload } }));

  // Directory
  units = (): Promise<Unit[]> =>
    all((cursor) => ok(this.api.GET('/api/units', { params: { query: { cursor } } })));
  participants = (): Promise<Participant[]> =>
    all((cursor) => ok(this.api.GET('/api/participants', { params: { query: { cursor } } })));

  // Meetings and agenda
  meetings = (): Promise<MeetingSummary[]> =>
    all((cursor) => ok(this.api.GET('/api/meetings', { params: { query: { cursor } } })));
  meeting = (id: string): Promise<Meeting> =>
    ok(this.api.GET('/api/meetings/{id}', { params: { path: { id } } }));
  createMeeting = (m: {
    kind: MeetingKind;
    title: string;
    startsAt: string;
    endsAt: string;
    place?: string;
    chair?: string;
  }): Promise<Meeting> => ok(this.api.POST('/api/meetings', { body: m }));
  addAgendaItem = (meetingId: string, item: { title: string; category: string; topics: string[] }) =>
    ok(this.api.POST('/api/meetings/{id}/agenda', { params: { path: { id: meetingId } }, body: item }));
  meetingAction = (
    meetingId: string,
    action: 'schedule' | 'open' | 'adjourn' | 'close' | 'cancel',
  ): Promise<MeetingSummary> => {
    const params = { path: { id: meetingId } };
    switch (action) {
      case 'schedule':
        return ok(this.api.POST('/api/meetings/{id}/schedule', { params }));
      case 'open':
        return ok(this.api.POST('/api/meetings/{id}/open', { params }));
      case 'adjourn':
        return ok(this.api.POST('/api/meetings/{id}/adjourn', { params }));
      case 'close':
        return ok(this.api.POST('/api/meetings/{id}/close', { params }));
      case 'cancel':
        return ok(this.api.POST('/api/meetings/{id}/cancel', { params }));
    }
  };
  taxonomy = (): Promise<TaxonomyTerm[]> =>
    all((cursor) => ok(this.api.GET('/api/agenda-taxonomy', { params: { query: { cursor } } })));

  // Invitations
  policies = (): Promise<InvitationPolicy[]> =>
    all((cursor) => ok(this.api.GET('/api/invitation-policies', { params: { query: { cursor } } })));
  createPolicy = (p: {
    name: string;
    category: string;
    quotas: { constituency: Constituency; count: number }[];
  }): Promise<InvitationPolicy> => ok(this.api.POST('/api/invitation-policies', { body: p }));
  generateInvitations = (meetingId: string): Promise<GenerationResult> =>
    ok(this.api.POST('/api/meetings/{id}/invitations/generate', { params: { path: { id: meetingId } } }));
  invite = (meetingId: string, participantId: string): Promise<Invitation> =>
    ok(
      this.api.POST('/api/meetings/{id}/invitations', {
        params: { path: { id: meetingId } },
        body: { participantId },
      }),
    );
  invitations = (meetingId: string): Promise<Invitation[]> =>
    all((cursor) =>
      ok(
        this.api.GET('/api/meetings/{id}/invitations', {
          params: { path: { id: meetingId }, query: { cursor } },
        }),
      ),
    );
  myInvitations = (): Promise<Invitation[]> =>
    all((cursor) => ok(this.api.GET('/api/invitations/mine', { params: { query: { cursor } } })));
  checkInCode = (invitationId: string): Promise<CheckInCode> =>
    ok(this.api.POST('/api/invitations/{id}/check-in-code', { params: { path: { id: invitationId } } }));
  selfCheckIn = (invitationId: string): Promise<Invitation> =>
    ok(this.api.POST('/api/invitations/{id}/check-in', { params: { path: { id: invitationId } } }));

  // Inputs and their dispositions
  answerInput = (inputId: string, text: string) =>
    ok(this.api.POST('/api/inputs/{inputId}/answer', { params: { path: { inputId } }, body: { text } }));
  declineInput = (inputId: string, reason: string) =>
    ok(this.api.POST('/api/inputs/{inputId}/decline', { params: { path: { inputId } }, body: { reason } }));

  // Task items and the loop
  tasks = (filter: { meetingId?: string } = {}): Promise<TaskItem[]> =>
    all((cursor) => ok(this.api.GET('/api/tasks', { params: { query: { ...filter, cursor } } })));
  task = (id: string): Promise<TaskItem> => ok(this.api.GET('/api/tasks/{id}', { params: { path: { id } } }));
  createTask = (t: NewTaskItem): Promise<TaskItem> => ok(this.api.POST('/api/tasks', { body: t }));
  mergeInputs = (taskId: string, inputIds: string[]): Promise<TaskItem> =>
    ok(this.api.POST('/api/tasks/{id}/inputs', { params: { path: { id: taskId } }, body: { inputIds } }));
  /**
   * One step of the loop: `path` is the route under the item (`accept`, `reply/sign`, …), `body`
   * what the step asks for (a reason, the reply's text, progress, a new deadline); the server
   * validates it against the step's DTO.
   */
  taskStep = (taskId: string, path: TaskStepPath, body: Record<string, unknown> = {}): Promise<TaskItem> => {
    const params = { path: { id: taskId } };
    const b = body as never;
    switch (path) {
      case 'assign':
        return ok(this.api.POST('/api/tasks/{id}/assign', { params, body: b }));
      case 'accept':
        return ok(this.api.POST('/api/tasks/{id}/accept', { params }));
      case 'return':
        return ok(this.api.POST('/api/tasks/{id}/return', { params, body: b }));
      case 'start':
        return ok(this.api.POST('/api/tasks/{id}/start', { params }));
      case 'progress':
        return ok(this.api.POST('/api/tasks/{id}/progress', { params, body: b }));
      case 'reply':
        return ok(this.api.POST('/api/tasks/{id}/reply', { params, body: b }));
      case 'reply/sign':
        return ok(this.api.POST('/api/tasks/{id}/reply/sign', { params, body: b }));
      case 'reply/review':
        return ok(this.api.POST('/api/tasks/{id}/reply/review', { params, body: b }));
      case 'reply/approve':
        return ok(this.api.POST('/api/tasks/{id}/reply/approve', { params, body: b }));
      case 'reply/send-back':
        return ok(this.api.POST('/api/tasks/{id}/reply/send-back', { params, body: b }));
      case 'reply/send':
        return ok(this.api.POST('/api/tasks/{id}/reply/send', { params, body: b }));
      case 'reopen':
        return ok(this.api.POST('/api/tasks/{id}/reopen', { params, body: b }));
      case 'close':
        return ok(this.api.POST('/api/tasks/{id}/close', { params, body: b }));
    }
  };
  evaluate = (taskId: string, rating: Rating, comment?: string): Promise<TaskItem> =>
    ok(
      this.api.POST('/api/tasks/{id}/evaluation', {
        params: { path: { id: taskId } },
        body: { rating, ...(comment ? { comment } : {}) },
      }),
    );
  decideExtension = (taskId: string, changeId: string, approve: boolean): Promise<TaskItem> =>
    ok(
      this.api.POST('/api/tasks/{id}/extensions/{changeId}/decision', {
        params: { path: { id: taskId, changeId } },
        body: { approve },
      }),
    );
  /** Every transition and edit of an item, oldest first. */
  history = (taskId: string): Promise<HistoryEntry[]> =>
    all((cursor) =>
      ok(this.api.GET('/api/tasks/{id}/history', { params: { path: { id: taskId }, query: { cursor } } })),
    );

  // Supervision and insights
  dashboard = (): Promise<SupervisionDashboard> => ok(this.api.GET('/api/supervision/dashboard'));
  ledger = (meetingId?: string): Promise<LedgerRow[]> =>
    all((cursor) => ok(this.api.GET('/api/ledger', { params: { query: { meetingId, cursor } } })));
  /** Every figure of FIGURES.md under the filters. */
  figures = (filter: FigureFilter = {}): Promise<FiguresOverview> =>
    ok(this.api.GET('/api/figures', { params: { query: filter } }));
  /** One page of the rows behind a part of a figure (or its `numerator` / `denominator`). */
  figureItems = async (
    code: FigureCode,
    part: string,
    filter: FigureFilter = {},
    cursor?: string,
  ): Promise<Page<FigureRow>> => {
    const page = await ok(
      this.api.GET('/api/figures/{code}/items', {
        params: { path: { code }, query: { ...filter, part, cursor } },
      }),
    );
    return { items: page.items as unknown as FigureRow[], nextCursor: page.nextCursor };
  };
  /** Units ranked by the criteria (in order of precedence), every rank. */
  rankings = async (filter: FigureFilter = {}, criteria?: string[]): Promise<Ranking> => {
    const query = { ...filter, ...(criteria?.length ? { criteria: criteria.join(',') } : {}) };
    const first = await ok(this.api.GET('/api/rankings', { params: { query } }));
    const items = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await ok(this.api.GET('/api/rankings', { params: { query: { ...query, cursor } } }));
      items.push(...next.items);
      cursor = next.nextCursor;
    }
    return { criteria: first.criteria, items, nextCursor: null };
  };
  lateUnits = (filter: FigureFilter = {}): Promise<LateUnit[]> =>
    all((cursor) =>
      ok(this.api.GET('/api/rankings/late-units', { params: { query: { ...filter, cursor } } })),
    );
  /** The ledger as a spreadsheet (台账.xlsx). */
  ledgerXlsx = (filter: FigureFilter = {}): Promise<Download> =>
    this.download(
      this.api.GET('/api/exports/ledger.xlsx', { params: { query: filter }, parseAs: 'blob' }),
      'ledger.xlsx',
    );
  /** The handling report (办理情况报告.pdf). */
  reportPdf = (filter: FigureFilter = {}): Promise<Download> =>
    this.download(
      this.api.GET('/api/exports/report.pdf', { params: { query: filter }, parseAs: 'blob' }),
      'report.pdf',
    );

  private async download(call: Promise<Answer<unknown>>, fallback: string): Promise<Download> {
    let answer: Answer<unknown>;
    try {
      answer = await call;
    } catch {
      throw new ApiError(0, null);
    }
    const { data, error, response } = answer;
    if (!response.ok || !(data instanceof Blob))
      throw new ApiError(response.status, (error ?? null) as ErrorBody | null);
    return { blob: data, filename: filenameOf(response, fallback) };
  }
}
