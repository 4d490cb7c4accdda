import { Inject, Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { HandlingFiguresService, TaskQueriesService } from '@liexi/handling';
import { AgendaTaxonomyService, MeetingsService } from '@liexi/meetings';
import { APP_CONFIG, type AppConfig, Clock, MAX_PAGE_SIZE } from '@liexi/platform';
import PDFDocument from 'pdfkit';
import type { Writable } from 'node:stream';
import { type FigureQuery, FiguresService, type FigureView } from './figures.service';
import { CLASS_ZH, localDate, pct, STATE_ZH } from './labels';
import { type LedgerRow, LedgerService } from './ledger.service';
import { RankingsService } from './rankings.service';

/** TrueType CJK fonts from npm (pdfkit drops CJK glyphs of OTF/CFF fonts). */
const FONT_REGULAR = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');
const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const EXAMPLES_PER_AREA = 2;
const AREAS_PER_CLASS = 4;

type Doc = PDFKit.PDFDocument;

/**
 * The handling report as a PDF with Chinese text, generated from the data: the annual report
 * that seed 001 is (totals, class shares with examples per area, the rates, late units) and
 * the per-meeting list (一会一单). Every number comes from the figures (FIGURES.md).
 */
@Injectable()
export class ReportPdfService {
  constructor(
    private readonly figures: FiguresService,
    private readonly rankings: RankingsService,
    private readonly ledger: LedgerService,
    private readonly taxonomy: AgendaTaxonomyService,
    private readonly meetings: MeetingsService,
    private readonly handling: HandlingFiguresService,
    private readonly tasks: TaskQueriesService,
    private readonly directory: DirectoryService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 办理情况报告 for the items under `q` (title e.g. “2024年建议提案”). */
  async annualReport(q: FigureQuery, subject: string, out: Writable): Promise<void> {
    const overview = await this.figures.overview(q);
    const fig = (code: string): FigureView => overview.figures.find((f) => f.code === code) as FigureView;
    const part = (code: string, p: string): number => fig(code).parts.find((x) => x.code === p)?.count ?? 0;
    const classes = fig('classes');
    const rate = (f: FigureView): string => pct(f.numerator, f.total);
    const total = classes.total;
    const late = await this.rankings.lateUnits(q, 50);
    const doc = this.doc(out);
    doc.font('bold').fontSize(18).text(`关于${subject}办理情况的报告`, { align: 'center' });
    doc.moveDown(0.5).font('regular').fontSize(10).fillColor('#555');
    doc.text(
      `统计期间：${this.period(q)}\u3000生成时间：${localDate(this.clock.now().toISOString(), this.config.timeZone)}`,
      {
        align: 'center',
      },
    );
    doc.fillColor('black').moveDown();
    this.heading(doc, `${CN_NUM[0]}、办理情况`);
    this.para(
      doc,
      `共交办${total}件。见面率${rate(fig('contact_rate'))}、办复率${rate(fig('reply_rate'))}、满意率${rate(fig('satisfaction_rate'))}、解决率${rate(fig('resolution_rate'))}。`,
    );
    let n = 0;
    for (const cls of ['A', 'B', 'C']) {
      const count = part('classes', cls);
      this.para(
        doc,
        `（${CN_NUM[n++]}）所提问题${CLASS_ZH[cls]}的“${cls}”类${count}件，占总数的${pct(count, total)}。`,
        true,
      );
      for (const line of await this.examples(q, cls)) this.para(doc, line);
    }
    this.para(
      doc,
      `以上三类合计${part('classes', 'A') + part('classes', 'B') + part('classes', 'C')}件，与交办总数${total}件一致。`,
    );
    this.heading(doc, `${CN_NUM[1]}、办理质效`);
    const rows: [string, FigureView][] = [
      ['办复率', fig('reply_rate')],
      ['按时办结率', fig('on_time_rate')],
      ['满意率', fig('satisfaction_rate')],
      ['一次办理满意率', fig('first_time_satisfaction_rate')],
      ['解决率', fig('resolution_rate')],
      ['见面率', fig('contact_rate')],
      ['共同办理占比', fig('co_handled_share')],
      ['二次办理', fig('second_handling')],
    ];
    for (const [name, f] of rows) this.para(doc, `${name}：${f.numerator ?? 0} ÷ ${f.total} = ${rate(f)}`);
    const overdue = fig('overdue');
    this.para(doc, `逾期未办结${overdue.numerator ?? 0}件，累计逾期${overdue.overdueDays ?? 0}个工作日。`);
    this.heading(doc, `${CN_NUM[2]}、逾期单位`);
    if (late.items.length === 0) this.para(doc, '无逾期单位。');
    for (const [i, u] of late.items.entries())
      this.para(doc, `${i + 1}. ${u.unitName}：逾期${u.overdue}件，累计${u.overdueDays}个工作日。`);
    doc.moveDown().fontSize(9).fillColor('#555').text('本报告所有数字均由系统记录计算，口径见 FIGURES.md。');
    doc.end();
    await finished(out);
  }

  /** 一会一单 of one meeting: its items, lead units, deadlines and states. */
  async meetingList(meetingId: string, out: Writable): Promise<void> {
    const meeting = await this.meetings.require(meetingId);
    // Every item, a page at a time (the counts come with the first page).
    const list = await this.tasks.meetingList(meetingId, { limit: MAX_PAGE_SIZE });
    for (let cursor = list.nextCursor; cursor !== null;) {
      const next = await this.tasks.meetingList(meetingId, { limit: MAX_PAGE_SIZE, cursor });
      list.items.push(...next.items);
      cursor = next.nextCursor;
    }
    const units = await this.directory.unitNames(list.items.map((i) => i.leadUnitId));
    const doc = this.doc(out);
    doc.font('bold').fontSize(16).text(`${meeting.title}\u3000任务清单（一会一单）`, { align: 'center' });
    doc.moveDown(0.3).font('regular').fontSize(10);
    doc.text(
      `会议时间：${localDate(meeting.startsAt.toISOString(), this.config.timeZone)}\u3000共${list.counts.total}项，已销号${list.counts.closed}项，办理中${list.counts.open}项，逾期${list.counts.overdue}项`,
      { align: 'center' },
    );
    doc.moveDown();
    const cols = [
      { title: '序号', width: 30 },
      { title: '事项', width: 190 },
      { title: '牵头单位', width: 95 },
      { title: '时限', width: 65 },
      { title: '状态', width: 60 },
      { title: '进度', width: 55 },
    ];
    this.row(
      doc,
      cols,
      cols.map((c) => c.title),
      true,
    );
    for (const [i, item] of list.items.entries())
      this.row(
        doc,
        cols,
        [
          String(i + 1),
          item.problem,
          units.get(item.leadUnitId) ?? '',
          item.deadline,
          `${STATE_ZH[item.state] ?? item.state}${item.light === 'red' ? '（逾期）' : ''}`,
          item.percent === null ? '—' : `${item.percent}%`,
        ],
        false,
      );
    doc.end();
    await finished(out);
  }

  private doc(out: Writable): Doc {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: 'Liexi 列席' } });
    doc.registerFont('regular', FONT_REGULAR);
    doc.registerFont('bold', FONT_BOLD);
    doc.pipe(out);
    return doc;
  }

  private heading(doc: Doc, text: string): void {
    doc.moveDown(0.5).font('bold').fontSize(13).text(text).moveDown(0.3);
  }

  private para(doc: Doc, text: string, bold = false): void {
    doc
      .font(bold ? 'bold' : 'regular')
      .fontSize(11)
      .text(text, { indent: 22, lineGap: 3 })
      .moveDown(0.3);
  }

  private row(doc: Doc, cols: { width: number }[], cells: string[], bold: boolean): void {
    doc.font(bold ? 'bold' : 'regular').fontSize(9);
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: (cols[i]?.width ?? 50) - 4 }));
    const h = Math.max(...heights) + 6;
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    let x = doc.page.margins.left;
    cells.forEach((c, i) => {
      const w = cols[i]?.width ?? 50;
      doc.rect(x, y, w, h).strokeColor('#999').stroke();
      doc.fillColor('black').text(c, x + 2, y + 3, { width: w - 4 });
      x += w;
    });
    doc.x = doc.page.margins.left;
    doc.y = y + h;
  }

  private period(q: FigureQuery): string {
    const tz = this.config.timeZone;
    const from = q.from ? localDate(q.from.toISOString(), tz) : '最早';
    const to = q.to ? localDate(new Date(q.to.getTime() - 1).toISOString(), tz) : '至今';
    return `${from} 至 ${to}`;
  }

  /** 在…方面: examples of a class grouped by the category of their agenda items (area). */
  private async examples(q: FigureQuery, cls: string): Promise<string[]> {
    const page = await this.handling.items('classes', cls, await this.figures.resolve(q), 60);
    const rows = await this.ledger.rows(page.items.map((i) => i.id));
    const labels = await this.taxonomy.labels();
    const categoryOf = new Map<string, string>();
    for (const meetingId of new Set(page.items.map((i) => i.meetingId).filter((m): m is string => !!m)))
      for (const a of await this.meetings.agenda(meetingId)) categoryOf.set(a.id, a.category);
    const agendaOf = new Map<string, string | null>();
    for (const item of await this.tasks.ledgerItems(page.items.map((i) => i.id)))
      agendaOf.set(item.id, item.agendaItemId);
    const byArea = new Map<string, LedgerRow[]>();
    for (const r of rows) {
      const agenda = agendaOf.get(r.taskId);
      const category = agenda ? categoryOf.get(agenda) : undefined;
      const area = category ? (labels.get(`category:${category}`)?.zh ?? category) : '其他';
      byArea.set(area, [...(byArea.get(area) ?? []), r]);
    }
    return [...byArea.entries()].slice(0, AREAS_PER_CLASS).map(([area, items]) => {
      const shown = items.slice(0, EXAMPLES_PER_AREA).map((r) => {
        const who = r.proposers.length > 0 ? `${r.proposers.join('、')}提出` : '提出人提出';
        const reply = r.reply
          ? `答复：${r.reply.slice(0, 80)}${r.reply.length > 80 ? '…' : ''}`
          : '正在办理。';
        return `${who}“${r.problem}”，由${r.leadUnit}牵头办理。${reply}`;
      });
      return `在${area}方面，${shown.join('；')}。`;
    });
  }
}

function finished(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.writableFinished) return resolve();
    out.once('finish', resolve);
    out.once('error', reject);
  });
}
