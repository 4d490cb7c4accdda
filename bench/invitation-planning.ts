/* Prints figures for invitation planning on a real (embedded) PostgreSQL: importing a directory
 * of people from .xlsx, generating invitations meeting after meeting as the history grows, and
 * computing the attendance figures. No assertions: run it and read the numbers.
 *
 *   npm run build && node dist/bench/invitation-planning.js [people=3000] [meetings=200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { DirectoryImportService } from '@liexi/directory';
import { AttendanceFiguresService } from '@liexi/insights';
import { InvitationPlannerService, InvitationPolicyService, MeetingsService } from '@liexi/meetings';
import { type Actor, loadConfig, runMigrations, startEmbeddedPostgres } from '@liexi/platform';
import { createApp } from '../apps/api/src/bootstrap';

const SYSTEM: Actor = {
  accountId: '00000000-0000-0000-0000-000000000000',
  username: 'bench',
  role: 'secretariat',
  unitId: null,
  participantId: null,
};
const LABELS = ['人大代表', '政协委员', '市民代表', '企业家代表', '专家', '媒体'];
const SECTORS = ['教育', '医药', '金融', '制造业', '农业', '社区', '交通', '文旅'];
const TOWNS = ['城关镇', '终兴镇', '北城街道', '南城街道', '黄岗镇', '高韦庄镇'];

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  const people = Number(process.argv[2] ?? 3000);
  const meetings = Number(process.argv[3] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'liexi-bench-'));
  const db = await startEmbeddedPostgres({ dir, database: 'liexi_bench', persistent: false });
  try {
    await runMigrations(db.url);
    const config = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'bench-secret-bench-secret-bench-0123',
      SEED_DEMO: 'false',
    });
    const app = await createApp(config, db.url, { logger: false });
    await app.init();

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['姓名', '界别/身份', '行业/领域', '区域/镇街', '联系方式']);
    for (let i = 0; i < people; i++)
      ws.addRow([
        `人员${i}`,
        LABELS[i % 6],
        SECTORS[i % 8],
        TOWNS[i % 6],
        `139${String(i).padStart(8, '0')}`,
      ]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    let t0 = performance.now();
    const report = await app
      .get(DirectoryImportService)
      .import(SYSTEM, 'participants', { format: 'xlsx', data });
    console.log(
      `import: ${report.imported} people from .xlsx (${(data.length / 1024).toFixed(0)} KB) in ${ms(performance.now() - t0)}`,
    );

    const policies = app.get(InvitationPolicyService);
    await policies.create(SYSTEM, {
      name: '重点工作',
      category: 'key_work',
      quotas: [
        { constituency: 'deputy', count: 4 },
        { constituency: 'cppcc_member', count: 4 },
        { constituency: 'citizen_rep', count: 4 },
        { constituency: 'entrepreneur_rep', count: 3 },
      ],
      preferredSectors: ['金融'],
    });
    await policies.create(SYSTEM, {
      name: '民生',
      category: 'major_matter',
      topic: 'livelihood',
      quotas: [
        { constituency: 'citizen_rep', count: 5 },
        { constituency: 'expert', count: 2 },
        { constituency: 'media', count: 1 },
      ],
      preferredDistricts: ['城关镇'],
    });

    const meetingsSvc = app.get(MeetingsService);
    const planner = app.get(InvitationPlannerService);
    const times: number[] = [];
    let seats = 0;
    for (let w = 0; w < meetings; w++) {
      const start = new Date(Date.UTC(2030, 0, 1 + w, 2));
      const m = await meetingsSvc.create(SYSTEM, {
        kind: 'executive',
        title: `第${w + 1}次常务会议`,
        startsAt: start,
        endsAt: new Date(start.getTime() + 2 * 3600_000),
        agenda: [
          { title: '重点工作', category: 'key_work', topics: ['industry'] },
          { title: '民生事项', category: 'major_matter', topics: ['livelihood'] },
        ],
      });
      t0 = performance.now();
      const res = await planner.generate(SYSTEM, m.id);
      times.push(performance.now() - t0);
      seats += res.created.length;
    }
    console.log(
      `generate: ${meetings} meetings, ${seats} invitations; per meeting median ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}, max ${ms(Math.max(...times))}`,
    );
    const figures = app.get(AttendanceFiguresService);
    const ft: number[] = [];
    let total = 0;
    for (let i = 0; i < 20; i++) {
      t0 = performance.now();
      total = (await figures.figures({})).total.invited;
      ft.push(performance.now() - t0);
    }
    console.log(
      `figures: ${total} person-times; per request median ${ms(pct(ft, 50))}, p95 ${ms(pct(ft, 95))}`,
    );
    await app.close();
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
