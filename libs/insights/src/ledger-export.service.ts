import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@liexi/platform';
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import type { FigureQuery } from './figures.service';
import { localDate, RATING_ZH, STATE_ZH, URGENCY_ZH } from './labels';
import { LedgerService } from './ledger.service';

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

/**
 * 台账 as .xlsx through exceljs' streaming writer: rows are read 500 at a time and each row is
 * committed as it is written, so memory stays bounded whatever the count (bench/figures.ts).
 */
@Injectable()
export class LedgerExportService {
  constructor(
    private readonly ledger: LedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Writes the workbook to `out` (an HTTP response or a file) and ends it; returns the row count. */
  async write(q: FigureQuery, out: Writable): Promise<number> {
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = book.addWorksheet('台账');
    sheet.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    let n = 0;
    const tz = this.config.timeZone;
    for await (const rows of this.ledger.all(q)) {
      for (const r of rows) {
        n++;
        sheet
          .addRow({
            n,
            id: r.taskId,
            problem: r.problem,
            proposers: [
              ...r.proposers,
              ...(r.anonymousProposers > 0 ? [`匿名×${r.anonymousProposers}`] : []),
            ].join('、'),
            leadUnit: r.leadUnit,
            cooperating: r.cooperatingUnits.join('、'),
            assigned: localDate(r.assignedAt, tz),
            deadline: r.deadline,
            state: STATE_ZH[r.state] ?? r.state,
            replied: localDate(r.repliedAt, tz),
            class: r.taskClass,
            urgency: URGENCY_ZH[r.urgency] ?? r.urgency,
            first: r.firstSatisfaction ? (RATING_ZH[r.firstSatisfaction] ?? '') : '',
            final: r.finalSatisfaction ? (RATING_ZH[r.finalSatisfaction] ?? '') : '',
            meeting: r.meeting ?? '',
          })
          .commit();
      }
    }
    sheet.commit();
    await book.commit();
    return n;
  }
}
