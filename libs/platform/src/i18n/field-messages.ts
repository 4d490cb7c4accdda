import type { Locale } from './messages';

/**
 * The Chinese of every field message the api sends (the English is the message itself, as
 * class-validator, the DTOs and the services write it): one catalog, read by the edge that
 * answers (`toErrorBody`). A message missing here goes out in English; the fuzz suite
 * (`test/security/fuzz.sec-spec.ts`) fails on any field message it provokes without Chinese.
 */

/** Whole messages written by services and DTOs (`invalid(…, { field: ['…'] })`). */
const PHRASES: Record<string, string> = {
  'unknown cursor': '不是本接口给出的游标',
  'cursor must be a cursor this api gave out': '不是本接口给出的游标',
  empty: '不能为空',
  required: '必填',
  'not an item of this meeting': '不是本会议的议题',
  'must be a permutation of the meeting’s agenda item ids': '须恰好包含本会议全部议题的编号（仅调整顺序）',
  'appears twice': '重复出现',
  'must be after startsAt': '须晚于开始时间（startsAt）',
  'inactive participant': '该人员已停用',
  'unknown unit': '单位不存在',
  'required for unit_handler': '经办人账号必填',
  'required for attendee': '列席人员账号必填',
  'not a handler of this unit': '不是该单位的经办人',
  'give format (xlsx or csv) or a file name ending in .xlsx or .csv':
    '请指定格式（xlsx 或 csv），或使用以 .xlsx / .csv 结尾的文件名',
  'must be after the deadline': '须晚于原时限',
  'inputs from another meeting': '含其他会议的意见建议',
  'required for class C': 'C 类事项必填',
  'give deadline or deadlineWorkingDays': '请填写时限（deadline）或工作日数（deadlineWorkingDays）',
  'must not contain the lead unit': '不能包含牵头单位',
  'required with agendaItemId': '指定议题时必填',
  'is a cooperating unit': '已是配合单位',
  'YYYY-MM-DD': '须为日期 YYYY-MM-DD',
  'use afterSeqs': '请使用 afterSeqs',
  'use afterSeq': '请使用 afterSeq',
  'unit:<unitId> or supervision': '须为 unit:<单位编号> 或 supervision',
  'not a visible input of this meeting': '不是本会议中可见的意见建议',
  'unknown input': '意见建议不存在',
  'must be an object': '须为对象',
  'Validation failed (object is expected)': '请求内容须为 JSON 对象',
  'no file': '缺少文件',
  'must not contain NUL characters (U+0000)': '不能包含空字符（U+0000）',
  'must not contain a lone UTF-16 surrogate': '含有无效字符（孤立的 UTF-16 代理项）',
  'is nested too deeply': '嵌套层级过深',
  'must be a calendar date YYYY-MM-DD': '须为有效日期 YYYY-MM-DD',
  'must be a date and time with an offset, e.g. 2027-03-01T09:00:00+08:00':
    '须为带时区的日期时间，例如 2027-03-01T09:00:00+08:00',
  'must be a date YYYY-MM-DD or a date and time with an offset': '须为日期 YYYY-MM-DD 或带时区的日期时间',
  'must not be in the past': '不能早于今天',
  'an unknown value was passed to the validate function': '须为对象',
};

type Rule = [RegExp, (m: RegExpExecArray) => string];

const ROLE_ZH: Record<string, string> = {
  secretariat: '秘书处',
  leader: '领导',
  supervisor: '督查',
  unit_handler: '承办单位经办人',
  attendee: '列席人员',
};

/** Messages with values in them: class-validator's defaults and a few of our own. */
const RULES: Rule[] = [
  [/^property (.*) should not exist$/, (m) => `不允许的字段 ${m[1] || '（空字段名）'}`],
  [/^nested property (.+) must be either object or array$/, (m) => `${m[1]} 须为对象或数组`],
  [
    /^each value in nested property (.+) must be either object or array$/,
    (m) => `${m[1]} 的每一项须为对象或数组`,
  ],
  [/^All (.+)'s elements must be unique$/, (m) => `${m[1]} 中的项不得重复`],
  [
    /^unknown (category|topic): (.+) \(see GET \/api\/agenda-taxonomy\)$/,
    (m) => `未知的${m[1] === 'category' ? '事项类别' : '主题'}：${m[2]}（见 GET /api/agenda-taxonomy）`,
  ],
  [/^more than (\d+) rows$/, (m) => `超过 ${m[1]} 行`],
  [/^not a readable (\w+) file$/, (m) => `无法读取的 ${m[1]} 文件`],
  [/^not an active (\w+) account$/, (m) => `不是有效的${ROLE_ZH[m[1] ?? ''] ?? m[1]}账号`],
  [/^must be one of (.+)$/, (m) => `须为以下之一：${m[1]}`],
  [/^(\w+) must not be before (\w+)$/, (m) => `${m[1]} 不能早于 ${m[2]}`],
  [
    /^clientKey must be 8–100 characters of A-Z a-z 0-9 _ -$/,
    () => 'clientKey 须为 8–100 个字符（A-Z a-z 0-9 _ -）',
  ],
  [/^username: 2–50 of a-z 0-9 _ \. -$/, () => 'username 须为 2–50 个字符（a-z 0-9 _ . -）'],
  [
    /^code: 2–50 of a-z 0-9 _, starting with a letter$/,
    () => 'code 须为 2–50 个字符（a-z 0-9 _），以字母开头',
  ],
  [
    /^afterSeqs must map at most (\d+) unit:<unitId> streams to whole seqs ≥ 0$/,
    (m) => `afterSeqs 最多含 ${m[1]} 个 unit:<单位编号> 及其非负整数序号`,
  ],
];

/** `<property> <predicate>` as class-validator writes it (optionally `each value in <property> …`). */
const PREDICATES: Rule[] = [
  [/^must be a string$/, () => '须为字符串'],
  [/^must be a UUID$/, () => '须为 UUID'],
  [/^must be a boolean value$/, () => '须为布尔值（true 或 false）'],
  [/^must be an integer number$/, () => '须为整数'],
  [/^must be a number conforming to the specified constraints$/, () => '须为数字'],
  [/^must be an array$/, () => '须为数组'],
  [/^must be a Date instance$/, () => '须为日期时间'],
  [/^must be a valid ISO 8601 date string$/, () => '须为 ISO 8601 日期'],
  [/^must be a URL address$/, () => '须为网址（http 或 https）'],
  [/^must be one of the following values: (.*)$/, (m) => `须为以下值之一：${m[1]}`],
  [/^must not be less than (.+)$/, (m) => `不得小于 ${m[1]}`],
  [/^must not be greater than (.+)$/, (m) => `不得大于 ${m[1]}`],
  [/^must be longer than or equal to (\d+) characters?$/, (m) => `长度不得少于 ${m[1]} 个字符`],
  [
    /^must be longer than or equal to (\d+) and shorter than or equal to (\d+) characters$/,
    (m) => `长度须为 ${m[1]}–${m[2]} 个字符`,
  ],
  [/^must be shorter than or equal to (\d+) characters?$/, (m) => `长度不得超过 ${m[1]} 个字符`],
  [/^must contain no more than (\d+) elements?$/, (m) => `最多 ${m[1]} 项`],
  [/^must contain at least (\d+) elements?$/, (m) => `至少 ${m[1]} 项`],
  [/^must match .* regular expression$/, () => '格式不正确'],
  [/^should not be empty$/, () => '不能为空'],
  [/^must be an object$/, () => '须为对象'],
];

const PROPERTY = /^(each value in )?([A-Za-z_$][\w$]*) (.+)$/;

function zh(message: string): string | null {
  const phrase = PHRASES[message];
  if (phrase !== undefined) return phrase;
  for (const [re, render] of RULES) {
    const m = re.exec(message);
    if (m) return render(m);
  }
  const p = PROPERTY.exec(message);
  if (p) {
    const predicate = p[3] ?? '';
    const known = PHRASES[predicate];
    const rendered =
      known ??
      PREDICATES.map(([re, render]) => {
        const m = re.exec(predicate);
        return m ? render(m) : null;
      }).find((r) => r !== null);
    if (rendered) return p[1] ? `${p[2]} 的每一项${rendered}` : `${p[2]} ${rendered}`;
  }
  return null;
}

/** A field message in the client's language (the English as given when the catalog lacks it). */
export function fieldText(message: string, locale: Locale): string {
  if (locale === 'en') return message;
  return zh(message) ?? message;
}

/** For tests: whether the catalog knows this message. */
export const hasFieldText = (message: string): boolean => zh(message) !== null;
