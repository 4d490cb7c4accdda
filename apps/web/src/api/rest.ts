import type { ErrorBody, Rating } from '@liexi/contracts';
import type {
  AttendanceFigures,
  CheckInCode,
  CodeCheckIn,
  GenerationResult,
  Invitation,
  InvitationPolicy,
  LedgerRow,
  Meeting,
  MeetingSummary,
  NewTaskItem,
  Page,
  Participant,
  Session,
  SupervisionDashboard,
  TaskItem,
  TaxonomyTerm,
  Unit,
} from './types';

/*
 * Every HTTP call of the screens, and nothing else does HTTP. When the typed client generated
 * from the OpenAPI document arrives (issue 11: `openapi-fetch`, lists as `{items, nextCursor}`),
 * only this file changes: `send` becomes the generated client's call and `all` reads its pages.
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

/** A list answer today (a bare array) or after issue 11 (a page). */
function itemsOf<T>(body: T[] | Page<T>): { items: T[]; nextCursor: string | null } {
  return Array.isArray(body) ? { items: body, nextCursor: null } : body;
}

export class Rest {
  constructor(private readonly token: string | null = null) {}

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          'accept-language': acceptLanguage,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, null);
    }
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) throw new ApiError(res.status, parsed as ErrorBody | null);
    return parsed as T;
  }

  private get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  private post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  /** Every item of a list, following `nextCursor` page by page. */
  private async all<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const url: string = cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path;
      const page = itemsOf(await this.get<T[] | Page<T>>(url));
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  // Sessions
  login = (username: string, password: string): Promise<Session> =>
    this.post('/api/auth/login', { username, password });
  checkInWithCode = (payload: string): Promise<CodeCheckIn> => this.post('/api/check-in', { payload });

  // Directory
  units = (): Promise<Unit[]> => this.all('/api/units');
  participants = (): Promise<Participant[]> => this.all('/api/participants');

  // Meetings and agenda
  meetings = (): Promise<MeetingSummary[]> => this.all('/api/meetings');
  meeting = (id: string): Promise<Meeting> => this.get(`/api/meetings/${id}`);
  createMeeting = (m: {
    kind: string;
    title: string;
    startsAt: string;
    endsAt: string;
    place?: string;
    chair?: string;
  }): Promise<Meeting> => this.post('/api/meetings', m);
  addAgendaItem = (meetingId: string, item: { title: string; category: string; topics: string[] }) =>
    this.post(`/api/meetings/${meetingId}/agenda`, item);
  meetingAction = (meetingId: string, action: 'schedule' | 'open' | 'adjourn' | 'close' | 'cancel') =>
    this.post<MeetingSummary>(`/api/meetings/${meetingId}/${action}`);
  taxonomy = (): Promise<TaxonomyTerm[]> => this.all('/api/agenda-taxonomy');

  // Invitations
  policies = (): Promise<InvitationPolicy[]> => this.all('/api/invitation-policies');
  createPolicy = (p: { name: string; category: string; quotas: { constituency: string; count: number }[] }) =>
    this.post<InvitationPolicy>('/api/invitation-policies', p);
  generateInvitations = (meetingId: string): Promise<GenerationResult> =>
    this.post(`/api/meetings/${meetingId}/invitations/generate`);
  invite = (meetingId: string, participantId: string): Promise<Invitation> =>
    this.post(`/api/meetings/${meetingId}/invitations`, { participantId });
  invitations = (meetingId: string): Promise<Invitation[]> =>
    this.all(`/api/meetings/${meetingId}/invitations`);
  myInvitations = (): Promise<Invitation[]> => this.all('/api/invitations/mine');
  checkInCode = (invitationId: string): Promise<CheckInCode> =>
    this.post(`/api/invitations/${invitationId}/check-in-code`);
  selfCheckIn = (invitationId: string): Promise<Invitation> =>
    this.post(`/api/invitations/${invitationId}/check-in`);

  // Inputs and their dispositions
  answerInput = (inputId: string, text: string) => this.post(`/api/inputs/${inputId}/answer`, { text });
  declineInput = (inputId: string, reason: string) => this.post(`/api/inputs/${inputId}/decline`, { reason });

  // Task items and the loop
  tasks = (filter: { meetingId?: string } = {}): Promise<TaskItem[]> =>
    this.all(`/api/tasks${filter.meetingId ? `?meetingId=${filter.meetingId}` : ''}`);
  task = (id: string): Promise<TaskItem> => this.get(`/api/tasks/${id}`);
  createTask = (t: NewTaskItem): Promise<TaskItem> => this.post('/api/tasks', t);
  mergeInputs = (taskId: string, inputIds: string[]): Promise<TaskItem> =>
    this.post(`/api/tasks/${taskId}/inputs`, { inputIds });
  /** One step of the loop: `path` is the route under the item (`accept`, `reply/sign`, …). */
  taskStep = (taskId: string, path: string, body: Record<string, unknown> = {}): Promise<TaskItem> =>
    this.post(`/api/tasks/${taskId}/${path}`, body);
  evaluate = (taskId: string, rating: Rating, comment?: string): Promise<TaskItem> =>
    this.post(`/api/tasks/${taskId}/evaluation`, { rating, ...(comment ? { comment } : {}) });
  decideExtension = (taskId: string, changeId: string, approve: boolean): Promise<TaskItem> =>
    this.post(`/api/tasks/${taskId}/extensions/${changeId}/decision`, { approve });

  // Supervision and insights
  dashboard = (): Promise<SupervisionDashboard> => this.get('/api/supervision/dashboard');
  ledger = (meetingId?: string): Promise<LedgerRow[]> =>
    this.all(`/api/ledger${meetingId ? `?meetingId=${meetingId}` : ''}`);
  attendanceFigures = (): Promise<AttendanceFigures> => this.get('/api/figures/attendance');
}
