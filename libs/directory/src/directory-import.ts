import type { Constituency, UnitKind } from '@liexi/contracts';

/** One problem with one cell (or row) of an imported sheet. Rows are spreadsheet rows (header = 1). */
export interface ImportError {
  row: number;
  column: string | null;
  message: { zh: string; en: string };
}

export interface ParticipantRow {
  row: number;
  name: string;
  constituency: Constituency;
  sector: string | null;
  district: string | null;
  contact: string | null;
  active: boolean;
}

export interface UnitRow {
  row: number;
  name: string;
  kind: UnitKind;
  headName: string | null;
}

export const CONSTITUENCY_LABELS: Record<string, Constituency> = {
  人大代表: 'deputy',
  政协委员: 'cppcc_member',
  市民代表: 'citizen_rep',
  企业家代表: 'entrepreneur_rep',
  专家: 'expert',
  媒体: 'media',
  deputy: 'deputy',
  cppcc_member: 'cppcc_member',
  citizen_rep: 'citizen_rep',
  entrepreneur_rep: 'entrepreneur_rep',
  expert: 'expert',
  media: 'media',
};

export const UNIT_KIND_LABELS: Record<string, UnitKind> = {
  部门: 'department',
  镇街: 'town',
  乡镇: 'town',
  镇: 'town',
  街道: 'town',
  企业: 'enterprise',
  其他: 'other',
  department: 'department',
  town: 'town',
  enterprise: 'enterprise',
  other: 'other',
};

const ACTIVE_LABELS: Record<string, boolean> = { 在册: true, 是: true, 启用: true, 停用: false, 否: false };

/** Header aliases → field. The first alias is the name used in error reports. */
const PARTICIPANT_COLUMNS = {
  name: ['姓名', '名字', 'name'],
  constituency: ['界别/身份', '界别', '身份', 'constituency'],
  sector: ['行业/领域', '行业', '领域', 'sector'],
  district: ['区域/镇街', '区域', '镇街', 'district'],
  contact: ['联系方式', '电话', '手机', 'contact'],
  active: ['状态', 'active'],
} as const;

const UNIT_COLUMNS = {
  name: ['单位名称', '单位', 'name'],
  kind: ['类型', '单位类型', 'kind'],
  headName: ['负责人', '一把手', 'head'],
} as const;

type Columns<K extends string> = Record<K, readonly string[]>;

function locate<K extends string>(
  header: string[],
  columns: Columns<K>,
  required: NoInfer<K>[],
  errors: ImportError[],
): Partial<Record<K, number>> {
  const at: Partial<Record<K, number>> = {};
  for (const key of Object.keys(columns) as K[]) {
    const i = header.findIndex((h) => columns[key].includes(h.replace(/\s+/g, '')));
    if (i >= 0) at[key] = i;
    else if (required.includes(key))
      errors.push({
        row: 1,
        column: columns[key][0],
        message: { zh: `缺少表头「${columns[key][0]}」`, en: `missing header "${columns[key][0]}"` },
      });
  }
  return at;
}

const isBlank = (r: string[]): boolean => r.every((c) => c === '');
const cell = (r: string[], i: number | undefined): string => (i === undefined ? '' : (r[i] ?? '').trim());

function tooLong(row: number, column: string, value: string, max: number, errors: ImportError[]): void {
  if (value.length > max)
    errors.push({
      row,
      column,
      message: { zh: `「${column}」超过 ${max} 个字符`, en: `"${column}" is longer than ${max} characters` },
    });
}

export function readParticipants(sheet: string[][]): { rows: ParticipantRow[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const rows: ParticipantRow[] = [];
  const header = sheet[0];
  if (!header) return { rows, errors: [emptySheet()] };
  const at = locate(header, PARTICIPANT_COLUMNS, ['name', 'constituency'], errors);
  if (errors.length > 0) return { rows, errors };
  const seen = new Map<string, number>();
  sheet.slice(1).forEach((r, idx) => {
    const row = idx + 2;
    if (isBlank(r)) return;
    const before = errors.length;
    const name = cell(r, at.name);
    const label = cell(r, at.constituency);
    const contact = cell(r, at.contact);
    const status = cell(r, at.active);
    if (!name) errors.push({ row, column: '姓名', message: { zh: '姓名不能为空', en: 'name is required' } });
    tooLong(row, '姓名', name, 100, errors);
    const constituency = CONSTITUENCY_LABELS[label.replace(/\s+/g, '')];
    if (!constituency)
      errors.push({
        row,
        column: '界别/身份',
        message: {
          zh: label
            ? `未知界别「${label}」（应为人大代表、政协委员、市民代表、企业家代表、专家或媒体）`
            : '界别/身份不能为空',
          en: label
            ? `unknown constituency "${label}" (expected 人大代表, 政协委员, 市民代表, 企业家代表, 专家 or 媒体)`
            : 'constituency is required',
        },
      });
    tooLong(row, '行业/领域', cell(r, at.sector), 100, errors);
    tooLong(row, '区域/镇街', cell(r, at.district), 100, errors);
    tooLong(row, '联系方式', contact, 200, errors);
    if (status && ACTIVE_LABELS[status] === undefined)
      errors.push({
        row,
        column: '状态',
        message: {
          zh: `未知状态「${status}」（应为在册或停用）`,
          en: `unknown status "${status}" (在册 or 停用)`,
        },
      });
    const key = `${name}|${contact}`;
    if (name && seen.has(key))
      errors.push({
        row,
        column: '姓名',
        message: {
          zh: `与第 ${seen.get(key)} 行重复（姓名和联系方式相同）`,
          en: `duplicates row ${seen.get(key)} (same name and contact)`,
        },
      });
    else seen.set(key, row);
    if (errors.length > before || !constituency) return;
    rows.push({
      row,
      name,
      constituency,
      sector: cell(r, at.sector) || null,
      district: cell(r, at.district) || null,
      contact: contact || null,
      active: status ? ACTIVE_LABELS[status] : true,
    });
  });
  return { rows, errors };
}

export function readUnits(sheet: string[][]): { rows: UnitRow[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const rows: UnitRow[] = [];
  const header = sheet[0];
  if (!header) return { rows, errors: [emptySheet()] };
  const at = locate(header, UNIT_COLUMNS, ['name'], errors);
  if (errors.length > 0) return { rows, errors };
  const seen = new Map<string, number>();
  sheet.slice(1).forEach((r, idx) => {
    const row = idx + 2;
    if (isBlank(r)) return;
    const before = errors.length;
    const name = cell(r, at.name);
    const label = cell(r, at.kind);
    if (!name)
      errors.push({
        row,
        column: '单位名称',
        message: { zh: '单位名称不能为空', en: 'unit name is required' },
      });
    tooLong(row, '单位名称', name, 200, errors);
    tooLong(row, '负责人', cell(r, at.headName), 100, errors);
    const kind = label ? UNIT_KIND_LABELS[label] : 'department';
    if (!kind)
      errors.push({
        row,
        column: '类型',
        message: {
          zh: `未知类型「${label}」（应为部门、镇街、企业或其他）`,
          en: `unknown unit type "${label}" (部门, 镇街, 企业 or 其他)`,
        },
      });
    if (name && seen.has(name))
      errors.push({
        row,
        column: '单位名称',
        message: { zh: `与第 ${seen.get(name)} 行重复`, en: `duplicates row ${seen.get(name)}` },
      });
    else if (name) seen.set(name, row);
    if (errors.length > before || !kind) return;
    rows.push({ row, name, kind, headName: cell(r, at.headName) || null });
  });
  return { rows, errors };
}

function emptySheet(): ImportError {
  return { row: 1, column: null, message: { zh: '表格为空', en: 'the sheet is empty' } };
}
