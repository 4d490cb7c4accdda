import type { LedgerRow } from '../api/types';

/** The ledger (台账) as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese right). */
export function ledgerCsv(rows: LedgerRow[]): string {
  const head = [
    '会议',
    '问题',
    '提出人',
    '牵头单位',
    '配合单位',
    '措施',
    '时限',
    '销号标准',
    '分类',
    '状态',
    '答复',
    '评价',
    '销号时间',
  ];
  const cell = (v: string | number | null): string => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = rows.map((r) =>
    [
      r.meeting,
      r.problem,
      [...r.proposers, ...(r.anonymousProposers ? [`匿名×${r.anonymousProposers}`] : [])].join('、'),
      r.leadUnit,
      r.cooperatingUnits.join('、'),
      r.measure,
      r.deadline,
      r.closeOutStandard,
      r.taskClass,
      r.state,
      r.reply,
      r.ratings.join('、'),
      r.closedAt,
    ]
      .map(cell)
      .join(','),
  );
  return `\uFEFF${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
