import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** A sheet as rows of trimmed cell texts; `rows[0]` is the header row (spreadsheet row 1). */
export type Sheet = string[][];

/** A CSV file that cannot be read as it stands (bad quoting): where, in both languages. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`line ${line}: ${en}`);
  }
}

/**
 * The text of a CSV file: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GBK
 * (GB18030, its superset) — what Excel on Chinese Windows writes for "CSV (逗号分隔)".
 */
export function decodeCsv(data: Buffer): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(data, 'gb18030'), encoding: 'gb18030' };
  }
}

const AFTER_CLOSING_QUOTE = {
  zh: '引号闭合后紧跟了其他字符',
  en: 'characters after the closing quote of a cell',
};
const REASONS: Record<string, { zh: string; en: string }> = {
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: AFTER_CLOSING_QUOTE,
  CSV_QUOTE_NOT_CLOSED: {
    zh: '引号未闭合（直到文件末尾）',
    en: 'a quoted cell is never closed (up to the end of the file)',
  },
  INVALID_OPENING_QUOTE: {
    zh: '未加引号的单元格中出现了引号',
    en: 'a quote inside a cell that does not start with one',
  },
  CSV_INVALID_CLOSING_QUOTE: AFTER_CLOSING_QUOTE,
};

/**
 * RFC 4180 CSV through csv-parse: quotes, doubled quotes, CRLF/LF, a BOM; rows may differ in
 * length. Bad quoting is refused (CsvError with the line), never guessed at. Blank lines stay, so
 * `rows[i]` is still the record i + 1.
 */
export function parseCsv(data: Buffer | string): Sheet {
  const text = typeof data === 'string' ? data : decodeCsv(data).text;
  try {
    const rows: string[][] = parse(text, {
      bom: true,
      // Excel writes CRLF; a file edited elsewhere may mix in LF.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
    });
    return rows.map((r) => r.map((c) => c.trim()));
  } catch (err) {
    const e = err as { code?: string; lines?: number };
    const reason = (e.code && REASONS[e.code]) || {
      zh: '不是有效的 CSV',
      en: 'not valid CSV',
    };
    throw new CsvError(e.lines ?? 0, `第 ${e.lines ?? 0} 行：${reason.zh}`, reason.en);
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result);
  }
  return '';
}

/** The first worksheet of an .xlsx file. */
export async function parseXlsx(data: Buffer): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const rows: Sheet = [];
  const width = ws.columnCount;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value).trim());
    rows.push(cells);
  }
  return rows;
}
