import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ErrorCode } from '@liexi/contracts';
import { ErrorBodyDto, HTTP_STATUS, X_ERRORS, X_PUBLIC, X_ROLES } from '@liexi/platform';
import { documentValidation } from './validation-constraints';

/** `/api` is version 1 of the contract (see API.md: how a breaking change is introduced). */
export const API_VERSION = '1.0.0';

/** Every tag an operation may carry, with its description (a new tag gets a line here). */
export const API_TAGS: Record<string, string> = {
  auth: 'Login and the signed-in actor (登录). Tokens are JWTs: send `Authorization: Bearer <accessToken>`.',
  health: 'Readiness and liveness probes for load balancers (no token).',
  units: '承办单位: units that handle task items, their handlers (经办人) and head (一把手).',
  participants:
    '列席人员: people who may be invited, with their constituency (界别); contact details for the secretariat only.',
  accounts: 'Accounts of staff, unit handlers and attendees.',
  import: 'Bulk import of participants and units from .xlsx or .csv with Chinese headers.',
  meetings:
    '会议: meetings and their lifecycle (draft → scheduled → in_session → adjourned → closed, or cancelled).',
  agenda: '议题: the agenda items of a meeting, their order and attachments.',
  invitations: '邀请: invitations, answers, check-in and attendance.',
  'invitation planning':
    '邀请规则: the agenda taxonomy, invitation policies per category, generation, check-in codes.',
  inputs:
    '意见建议: what attendees raised in a session, and its disposition (answered, declined, merged into a task).',
  tasks: '任务清单: task items and their closed loop (交办 → 整改 → 答复 → 评价 → 销号), 一会一单.',
  supervision: '督办: the supervision dashboard.',
  calendar: 'The holiday calendar (法定节假日 and 调休 workdays) behind deadlines in working days.',
  public: '政务公开: what the public may read, without any personal data (no token).',
  insights: '台账 and computed figures.',
  figures: 'Computed figures (never stored), their drill-downs, rankings (排名通报) and 一会一单.',
  live: 'The live session seen from REST: who is connected (the protocol itself is the AsyncAPI document).',
  exports: 'Downloads: the ledger (台账) as .xlsx and the handling report and per-meeting lists as PDF.',
  notifications:
    '通知: the inbox of the signed-in account (invitations, reminders, overdue notices, send-backs).',
  appraisals:
    '满意度测评: appraisal results per unit and meeting (counts only, never voters) and the rule that turns an unsatisfied result into a rectification item.',
};

/** What each error code means to a client (the message in the body is localized). */
const ERROR_HELP: Record<ErrorCode, { zh: string; en: string }> = {
  VALIDATION: {
    zh: '请求内容不合法: 参数缺失、格式不符或未知的查询参数',
    en: 'the request is not valid: a field missing or malformed, or an unknown query parameter (`fields` names them)',
  },
  UNAUTHORIZED: { zh: '身份验证失败', en: 'no token, or an invalid or expired one' },
  FORBIDDEN: { zh: '无权执行此操作', en: 'the role (or the relation to the resource) may not do this' },
  NOT_FOUND: { zh: '未找到', en: 'the resource does not exist, or the caller may not see it' },
  CONFLICT: {
    zh: '已被他人修改，请刷新后重试',
    en: 'the state changed meanwhile, or a unique value is taken',
  },
  PAYLOAD_TOO_LARGE: {
    zh: '请求内容过大 (上限 100 KB)',
    en: 'the body is over the size limit (100 KB)',
  },
  INVALID_TRANSITION: {
    zh: '当前状态不允许此操作',
    en: 'not allowed from the current state (`allowed` lists what is)',
  },
  SESSION_CLOSED: { zh: '会议不在进行中', en: 'the meeting is not in session' },
  RATE_LIMITED: { zh: '操作过于频繁，请稍后再试', en: 'too many requests; slow down' },
  INTERNAL: { zh: '服务器内部错误', en: 'a fault on the server (`correlationId` identifies it in the logs)' },
  UNAVAILABLE: {
    zh: '服务繁忙或暂时不可用，请稍后重试',
    en: 'retryable: the database is busy or out of reach (`Retry-After`)',
  },
};

/** Codes every route may answer; public routes neither 401 nor 403; a path naming a resource also 404. */
const EVERY_ROUTE: ErrorCode[] = ['VALIDATION', 'INTERNAL', 'UNAVAILABLE'];
const SIGNED_IN: ErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN'];

/** The schema of an error response that answers one of `codes`, as a component `Error<Codes>`. */
function errorSchemaRef(doc: OpenAPIObject, codes: ErrorCode[]): Record<string, unknown> {
  const name = `Error${codes.map((c) => c.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u, ch: string) => ch.toUpperCase())).join('Or')}`;
  const schemas = (doc.components ??= {}).schemas ?? (doc.components.schemas = {});
  schemas[name] ??= {
    type: 'object',
    description: `An error body whose code is ${codes.join(' or ')}.`,
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', enum: codes },
      message: { type: 'string', description: 'For people, localized by Accept-Language (zh-CN or en).' },
      detail: { type: 'string', description: 'For developers and logs: the specifics, in English.' },
      fields: {
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'string' } },
        description: 'VALIDATION: messages per field path.',
      },
      allowed: {
        type: 'array',
        items: { type: 'string' },
        description: 'INVALID_TRANSITION: the actions allowed from the current state.',
      },
      correlationId: { type: 'string', format: 'uuid', description: 'INTERNAL: the id the server logged.' },
    },
  };
  return { $ref: `#/components/schemas/${name}` };
}

type Operation = Record<string, unknown> & {
  description?: string;
  responses: Record<string, Record<string, unknown>>;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The OpenAPI 3.0 document of `/api`, built from the code: the controllers' decorators, the
 * DTO and view classes, the roles each route enforces (`@Roles` → `x-roles`), public routes
 * (`@Public` → no security), and the error responses with their codes.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  let builder = new DocumentBuilder()
    .setTitle('Liexi 列席 API')
    .setDescription(
      [
        'Sit-in participation (列席) for executive meetings and the closed loop of task items (任务清单).',
        '',
        '**Version**: `/api` is v1. Additive changes only within v1; a breaking change comes as `/api/v2` beside it, and an operation to be removed is marked `deprecated` first (see API.md).',
        '',
        '**Auth**: `POST /api/auth/login` → `accessToken`; send `Authorization: Bearer <accessToken>`. Each operation names the roles that may call it (`x-roles`); public ones need no token.',
        '',
        '**Lists**: `?limit=&cursor=` (at most 200 per page), answered `{items, nextCursor}`; pass `nextCursor` as `cursor` until it is null. A query parameter an operation does not declare is refused with 400 VALIDATION.',
        '',
        '**Errors**: one body `{code, message, detail?, fields?, allowed?, correlationId?}`; `message` follows `Accept-Language` (zh-CN or en), `detail` is English for developers. UNAVAILABLE (503) is retryable.',
        '',
        '**Creation** answers 201 with the new resource; a transition (`POST …/assign`, `…/close`) answers 200 with the resource after it.',
        '',
        'Live protocol (socket.io `/live`, `/supervision`): AsyncAPI 3.0 at `/api/docs/asyncapi`.',
      ].join('\n'),
    )
    .setVersion(API_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer');
  for (const [name, description] of Object.entries(API_TAGS)) builder = builder.addTag(name, description);
  const doc = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ErrorBodyDto],
    autoTagControllers: false, // every operation names its tags (API_TAGS)
  });
  documentValidation(app, doc);
  nullables(doc);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) finishOperation(doc, path, op);
    }
  }
  return doc;
}

function finishOperation(doc: OpenAPIObject, path: string, op: Operation): void {
  const isPublic = op[X_PUBLIC] === true;
  const roles = op[X_ROLES] as string[] | undefined;
  const extra = (op[X_ERRORS] as ErrorCode[] | undefined) ?? [];
  delete op[X_PUBLIC];
  delete op[X_ERRORS];
  const who = isPublic
    ? '**Public** (公开): no token needed.'
    : `**Roles**: ${(roles ?? []).join(', ') || 'none (denied to everybody)'}.`;
  op.description = op.description ? `${who}\n\n${op.description}` : who;
  if (isPublic) op.security = [];
  // Path parameters named `id` or `…Id` are uuids (ParseUUIDPipe: anything else is 400).
  for (const p of (op.parameters ?? []) as { in: string; name: string; schema?: Record<string, unknown> }[])
    if (p.in === 'path' && /^(id|[a-z]+Id)$/.test(p.name)) p.schema = { type: 'string', format: 'uuid' };

  const codes = new Set<ErrorCode>([
    ...EVERY_ROUTE,
    ...(isPublic ? [] : SIGNED_IN),
    ...(path.includes('{') ? (['NOT_FOUND'] as const) : []),
    ...extra,
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(HTTP_STATUS[code], [...(byStatus.get(HTTP_STATUS[code]) ?? []), code]);
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    if (op.responses[String(status)]) continue; // declared by the route itself (e.g. health's 503)
    const first = list[0];
    op.responses[String(status)] = {
      description: list.map((c) => `\`${c}\`: ${ERROR_HELP[c].en} (${ERROR_HELP[c].zh})`).join('; '),
      content: {
        'application/json': {
          schema: errorSchemaRef(doc, list),
          example: { code: first, message: `${ERROR_HELP[first].zh}: …` },
        },
      },
    };
  }
}

/**
 * OpenAPI 3.0.3 nullables as validators and generators read them: a nullable enum lists null
 * among its values, and a nullable reference (`allOf: [$ref]`) carries no `type: object` of its
 * own (that would refuse null before `nullable` is looked at).
 */
function nullables(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) nullables(n);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as { nullable?: boolean; enum?: unknown[]; allOf?: unknown[]; type?: string };
  if (o.nullable === true && Array.isArray(o.enum) && !o.enum.includes(null)) o.enum = [...o.enum, null];
  if (o.nullable === true && Array.isArray(o.allOf) && o.type === 'object') delete o.type;
  for (const v of Object.values(o)) nullables(v);
}
