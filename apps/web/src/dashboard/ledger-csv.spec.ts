import type { LedgerRow } from '../api/types';
import { ledgerCsv } from './ledger-csv';

describe('ledger CSV', () => {
  it('quotes cells with commas, quotes and line breaks; anonymous proposers only as a count', () => {
    const row: LedgerRow = {
      taskId: 't',
      meeting: '常务会议',
      agendaItem: null,
      responsiblePerson: null,
      assignedAt: null,
      urgency: 'immediate',
      repliedAt: null,
      firstSatisfaction: 'satisfied',
      finalSatisfaction: 'satisfied',
      problem: '缺少抵押物, "融资难"\n急',
      proposers: ['王建国'],
      anonymousProposers: 1,
      leadUnit: '县金融服务中心',
      cooperatingUnits: ['县农村商业银行'],
      measure: '知识产权质押贷款',
      deadline: '2026-12-31',
      closeOutStandard: '贷款发放',
      taskClass: 'A',
      state: 'closed',
      reopenCount: 0,
      reply: null,
      ratings: ['satisfied'],
      closedAt: null,
    };
    const csv = ledgerCsv([row]);
    expect(csv.startsWith('\uFEFF会议,问题')).toBe(true);
    expect(csv).toContain('"缺少抵押物, ""融资难""\n急"');
    expect(csv).toContain('王建国、匿名×1');
    expect(csv.trimEnd().split('\r\n')).toHaveLength(2);
  });
});
