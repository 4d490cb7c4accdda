import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@liexi/platform';
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import type { FigureQuery } from './figures.service';
import { RATING_ZH, STATE_ZH, URGENCY_ZH } from './labels';
import { type LedgerRow, LedgerService } from './ledger.service';

/** The ledger's columns in the .xlsx, with their Chinese headers. */
export const LEDGER_COLUMNS = [
  { header: '序号', key: 'n', width: 6 },
  { header: '编号', key: 'id', width: 38 },
  { header: '事项', key: 'problem', width: 40 },
  { header: '提出人', key: 'proposers', width: 18 },
  { header: '牵头单位', key: 'leadUnit', width: 18 },
  { header: '配合单位', key: 'cooperating', width: 24 },
  { header: '交办日期', key: 'assigned', width: 12 },
  { header: '办理时限', key: 'deadline', width: 12 },
  { header: '办理状态', key: 'state', width: 12 },
  { header: '答复日期', key: 'replied', width: 12 },
  { header: '分类', key: 'class', width: 6 },
  { header: '整改类型', key: 'urgency', width: 10 },
  { header: '首次满意度', key: 'first', width: 10 },
  { header: '最终满意度', key: 'final', width: 10 },
  { header: '所属会议', key: 'meeting', width: 24 },
] as const;

/** Pages of the ledger read while one is written. */
const READ_AHEAD = 2;

/** How an export reads and waits (defaults for the route; tests make them small). */
export interface LedgerExportOptions {
  /** Rows per page read from the ledger. */
  pageSize?: number;
  /** Bytes of sheet XML that may wait for the zip before the writer stops to let it drain. */
  maxBuffered?: number;
}

/** What of exceljs' worksheet stream the writer watches (see LedgerExportService.backlog). */
interface SheetPipe {
  _writableState?: { length?: number };
  once(event: 'drain' | 'close' | 'error', f: () => void): unknown;
  removeListener(event: 'drain' | 'close' | 'error', f: () => void): unknown;
}

/** A formatter of YYYY-MM-DD in `timeZone`: labels.localDate's output, one Intl object for all. */
function dayIn(timeZone: string): (iso: string | null) => string {
  // toLocaleDateString builds a DateTimeFormat on every call (~90 µs, two a row: most of the
  // export's own time before); one formatter with the same options gives the same text.
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
  return (iso) => (iso ? f.format(new Date(iso)) : '');
}

/**
 * 台账 as .xlsx through exceljs' streaming writer, in bounded memory whatever the count
 * (bench/ledger-export.ts: 10,000 to 100,000 rows with the same growth, under a 64 MB heap cap):
 * - rows are read a page at a time, the next two pages read while the current one is written;
 * - each row is committed as it is added, with shared (empty) style objects so that exceljs
 *   finds their style id by identity instead of rendering each cell's style;
 * - exceljs writes the sheet's XML into the zip without heeding backpressure (its StreamBuf
 *   ignores `write()`'s result), so behind a slow client the XML would pile up in memory: after
 *   each page the writer waits until that backlog has drained (`maxBuffered`);
 * - a client that goes away (`out` closed before it finished) ends the export: no further page is
 *   read, and the promise resolves with the rows written so far.
 */
@Injectable()
export class LedgerExportService {
  constructor(
    private readonly ledger: LedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Writes the workbook to `out` (an HTTP response or a file) and ends it; returns the row count
   * (the rows written so far when `out` closed early). Rejects if `out` fails.
   */
  async write(q: FigureQuery, out: Writable, options: LedgerExportOptions = {}): Promise<number> {
    const pageSize = options.pageSize ?? 500;
    const maxBuffered = options.maxBuffered ?? 1024 * 1024;
    // `out` closed before it finished: the client went away (or the file failed).
    const state: { failure: Error | null; gone: boolean } = { failure: null, gone: false };
    let wake: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (wake = resolve));
    const onClose = (): void => {
      if (!out.writableFinished) state.gone = true;
      wake();
    };
    const onError = (err: Error): void => {
      state.failure ??= err;
      wake();
    };
    out.once('close', onClose);
    out.on('error', onError);
    try {
      const n = await this.rows(q, out, pageSize, maxBuffered, state, ended);
      if (state.failure) throw state.failure;
      return n;
    } finally {
      out.removeListener('close', onClose);
      out.removeListener('error', onError);
    }
  }

  /** The workbook, page by page; stops when `state` says `out` is gone or failed. */
  private async rows(
    q: FigureQuery,
    out: Writable,
    pageSize: number,
    maxBuffered: number,
    state: { failure: Error | null; gone: boolean },
    ended: Promise<void>,
  ): Promise<number> {
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = book.addWorksheet('台账');
    sheet.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    // One style object per column and one for all rows: exceljs caches a style's id by the
    // object, where a fresh {} per cell had it render and look up every cell's style (~25 µs).
    const style = LEDGER_COLUMNS.map(() => ({}));
    const rowStyle = {};
    const day = dayIn(this.config.timeZone);
    let n = 0;
    // Two pages read while one is written: the statements and the writing overlap.
    for await (const page of this.ledger.all(q, pageSize, READ_AHEAD)) {
      if (state.gone || state.failure) break; // (the reads in flight end first)
      for (const r of page) {
        const row = sheet.addRow(this.values(++n, r, day));
        (row as unknown as { style: object }).style = rowStyle; // (not in exceljs' types)
        row.eachCell({ includeEmpty: true }, (cell, col) => {
          cell.style = style[col - 1] ?? {};
        });
        row.commit();
      }
      await this.drained(sheet, maxBuffered, ended);
    }
    if (!state.gone && !state.failure) {
      sheet.commit();
      await Promise.race([book.commit(), ended]);
    }
    return n;
  }

  /** One row's cells, in LEDGER_COLUMNS' order. */
  private values(n: number, r: LedgerRow, day: (iso: string | null) => string): unknown[] {
    return [
      n,
      r.taskId,
      r.problem,
      r.anonymousProposers > 0
        ? [...r.proposers, `匿名×${r.anonymousProposers}`].join('、')
        : r.proposers.join('、'),
      r.leadUnit,
      r.cooperatingUnits.join('、'),
      day(r.assignedAt),
      r.deadline,
      STATE_ZH[r.state] ?? r.state,
      day(r.repliedAt),
      r.taskClass,
      URGENCY_ZH[r.urgency] ?? r.urgency,
      r.firstSatisfaction ? (RATING_ZH[r.firstSatisfaction] ?? '') : '',
      r.finalSatisfaction ? (RATING_ZH[r.finalSatisfaction] ?? '') : '',
      r.meeting ?? '',
    ];
  }

  /**
   * The sheet XML written but not yet taken by the zip, and the stream holding it: exceljs pipes
   * the worksheet's StreamBuf into a PassThrough of archiver's (archiver-utils'
   * normalizeInputSource) and never looks at what `write()` returns. Null if exceljs changes shape
   * (then only `out`'s own backpressure, through archiver's pipe, is left).
   */
  private backlog(sheet: ExcelJS.Worksheet): { pipe: SheetPipe; bytes: number } | null {
    const pipe = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as
      SheetPipe | undefined;
    const bytes = pipe?._writableState?.length;
    return pipe && typeof pipe.once === 'function' && typeof bytes === 'number' ? { pipe, bytes } : null;
  }

  /** Waits while more than `max` bytes of sheet XML wait for the zip, or until `ended`. */
  private async drained(sheet: ExcelJS.Worksheet, max: number, ended: Promise<void>): Promise<void> {
    const b = this.backlog(sheet);
    if (!b || b.bytes <= max) return;
    let done: () => void = () => undefined;
    const drained = new Promise<void>((resolve) => (done = resolve));
    b.pipe.once('drain', done);
    b.pipe.once('close', done);
    b.pipe.once('error', done);
    try {
      await Promise.race([drained, ended]);
    } finally {
      b.pipe.removeListener('drain', done);
      b.pipe.removeListener('close', done);
      b.pipe.removeListener('error', done);
    }
  }
}
