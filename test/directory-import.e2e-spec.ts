/* Directory: spreadsheet import (.xlsx built here with exceljs, and .csv) with Chinese headers,
 * a per-row error report in zh and en, and nothing stored when any row is wrong; participant
 * edits and deactivation; units with handlers and a head. */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Client } from 'pg';
import { Api, startTestApp, type TestApp } from './support/app';

async function xlsx(rows: (string | number | null)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}
const csv = (text: string): string => Buffer.from(`\uFEFF${text}`, 'utf8').toString('base64');

describe('directory', () => {
  let t: TestApp;
  let db: Client;
  let sec: Api;
  const count = async (table: string): Promise<number> =>
    Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    sec = await Api.login(t.baseUrl, 'secretary');
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  describe('participant import', () => {
    const header = ['姓名', '界别/身份', '行业/领域', '区域/镇街', '联系方式'];

    it('imports an .xlsx sheet with Chinese headers', async () => {
      const before = await count('participant');
      const report = await sec.ok(
        sec.post('/api/participants/import', {
          format: 'xlsx',
          contentBase64: await xlsx([
            header,
            ['朱坤福', '政协委员', '医药', '城关镇', 13800000001],
            ['刘芳', '人大代表', '教育', '终兴镇', '13800000002'],
            [null, null, null, null, null],
            ['赵强', '企业家代表', '制造业', '', ''],
            ['孙丽', '专家', '金融', '', 'sun@example.cn'],
          ]),
        }),
      );
      expect(report).toEqual({ kind: 'participants', dryRun: false, rows: 4, imported: 4, errors: [] });
      expect(await count('participant')).toBe(before + 4);
      const zhu = (await db.query(`SELECT * FROM participant WHERE name = '朱坤福'`)).rows[0];
      expect(zhu).toMatchObject({ constituency: 'cppcc_member', sector: '医药', contact: '13800000001' });
    });

    it('reports every bad row by row and column in zh and en, and imports nothing (xlsx)', async () => {
      const before = await count('participant');
      const content = await xlsx([
        header,
        ['甲', '人大代表', '', '', ''],
        ['', '政协委员', '', '', ''],
        ['丙', '工人代表', '', '', ''],
        ['丁', '市民代表', '', '', ''],
      ]);
      const dry = await sec.ok(
        sec.post('/api/participants/import', { format: 'xlsx', contentBase64: content, dryRun: true }),
      );
      expect(dry).toMatchObject({ dryRun: true, rows: 4, imported: 0 });
      expect(dry.errors).toEqual([
        { row: 3, column: '姓名', message: { zh: '姓名不能为空', en: 'name is required' } },
        {
          row: 4,
          column: '界别/身份',
          message: {
            zh: expect.stringContaining('未知界别「工人代表」'),
            en: expect.stringContaining('unknown constituency "工人代表"'),
          },
        },
      ]);
      const real = await sec.post<any>('/api/participants/import', {
        format: 'xlsx',
        contentBase64: content,
      });
      expect(real.status).toBe(400);
      expect(real.body.code).toBe('VALIDATION');
      expect(Object.keys(real.body.fields)).toEqual(['row 3 姓名', 'row 4 界别/身份']);
      expect(real.body.fields['row 3 姓名']).toEqual(['姓名不能为空 / name is required']);
      expect(await count('participant')).toBe(before);
    });

    it('imports a GBK .csv (Excel on Chinese Windows) and refuses bad quoting with 400, storing nothing', async () => {
      const before = await count('participant');
      const gbk = iconv.encode('姓名,界别/身份,行业/领域\r\n欧阳建华,企业家代表,"纺织,服装"\r\n', 'gbk');
      const ok = await sec.ok(
        sec.post('/api/participants/import', { format: 'csv', contentBase64: gbk.toString('base64') }),
      );
      expect(ok).toMatchObject({ rows: 1, imported: 1, errors: [] });
      const row = (await db.query(`SELECT * FROM participant WHERE name = '欧阳建华'`)).rows[0];
      expect(row).toMatchObject({ constituency: 'entrepreneur_rep', sector: '纺织,服装' });

      const bad = await sec.post<any>('/api/participants/import', {
        format: 'csv',
        contentBase64: csv('姓名,界别/身份\n赵六,市民代表\n孙七,"市民"代表\n'),
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION');
      expect(bad.body.fields.file).toEqual([
        'line 3: characters after the closing quote of a cell',
        '第 3 行：引号闭合后紧跟了其他字符',
      ]);
      expect(await count('participant')).toBe(before + 1);
    });

    it('imports a .csv sheet (BOM, quotes) and rejects one with a missing header', async () => {
      const before = await count('participant');
      const ok = await sec.ok(
        sec.post('/api/participants/import', {
          format: 'csv',
          contentBase64: csv(
            '姓名,界别/身份,行业/领域,区域/镇街,联系方式,状态\r\n' +
              '"王,小二",市民代表,"社区 ""养老""",北城街道,13900000001,在册\r\n' +
              '钱多多,媒体,,,,停用\r\n',
          ),
        }),
      );
      expect(ok).toMatchObject({ rows: 2, imported: 2, errors: [] });
      const wang = (await db.query(`SELECT * FROM participant WHERE name = '王,小二'`)).rows[0];
      expect(wang).toMatchObject({ constituency: 'citizen_rep', sector: '社区 "养老"', active: true });
      const qian = (await db.query(`SELECT * FROM participant WHERE name = '钱多多'`)).rows[0];
      expect(qian.active).toBe(false);
      const bad = await sec.ok(
        sec.post('/api/participants/import', {
          format: 'csv',
          contentBase64: csv('姓名,行业\n张三,医药\n'),
          dryRun: true,
        }),
      );
      expect(bad.errors).toEqual([
        {
          row: 1,
          column: '界别/身份',
          message: { zh: '缺少表头「界别/身份」', en: 'missing header "界别/身份"' },
        },
      ]);
      const dup = await sec.post<any>('/api/participants/import', {
        format: 'csv',
        contentBase64: csv('姓名,界别,联系方式\n李四,人大代表,1\n李五,人大代表,2\n李四,人大代表,1\n'),
      });
      expect(dup.status).toBe(400);
      expect(Object.keys(dup.body.fields)).toEqual(['row 4 姓名']);
      expect(await count('participant')).toBe(before + 2);
    });

    it('takes a multipart upload too (format from the file name; dryRun as a form field)', async () => {
      const before = await count('participant');
      const rows = [['姓名', '界别/身份', '行业/领域']];
      for (let i = 0; i < 3000; i++) rows.push([`上传${i}`, i % 2 ? '市民代表' : '专家', '社区']);
      const file = Buffer.from(await xlsx(rows), 'base64');
      expect(file.length).toBeGreaterThan(20_000);
      const post = async (dryRun: boolean): Promise<{ status: number; body: any }> => {
        const form = new FormData();
        form.append('file', new Blob([file]), '名单.xlsx');
        if (dryRun) form.append('dryRun', 'true');
        const res = await fetch(`${t.baseUrl}/api/participants/import/upload`, {
          method: 'POST',
          headers: { authorization: `Bearer ${sec.token}` },
          body: form,
        });
        return { status: res.status, body: await res.json() };
      };
      const dry = await post(true);
      expect(dry).toMatchObject({ status: 200, body: { dryRun: true, rows: 3000, imported: 0, errors: [] } });
      expect(await count('participant')).toBe(before);
      const real = await post(false);
      expect(real).toMatchObject({ status: 200, body: { rows: 3000, imported: 3000 } });
      expect(await count('participant')).toBe(before + 3000);
      const noFile = await fetch(`${t.baseUrl}/api/units/import/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sec.token}` },
        body: new FormData(),
      });
      expect(noFile.status).toBe(400);
      const form = new FormData();
      form.append('file', new Blob(['a,b']), 'list.txt');
      const badName = await fetch(`${t.baseUrl}/api/units/import/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sec.token}` },
        body: form,
      });
      expect(badName.status).toBe(400);
      expect(((await badName.json()) as { fields: object }).fields).toHaveProperty('format');
    });

    it('refuses a file that is not a spreadsheet', async () => {
      const res = await sec.post<any>('/api/participants/import', {
        format: 'xlsx',
        contentBase64: Buffer.from('not a zip').toString('base64'),
      });
      expect(res.status).toBe(400);
      expect(res.body.fields).toHaveProperty('file');
    });

    it('is for the secretariat only', async () => {
      const leader = await Api.login(t.baseUrl, 'leader');
      const res = await leader.post('/api/participants/import', {
        format: 'csv',
        contentBase64: csv('姓名,界别\n'),
      });
      expect(res.status).toBe(403);
    });
  });

  describe('unit import', () => {
    it('imports units from .xlsx; a name that exists or repeats fails the whole sheet', async () => {
      const before = await count('unit');
      const bad = await sec.post<any>('/api/units/import', {
        format: 'xlsx',
        contentBase64: await xlsx([
          ['单位名称', '类型', '负责人'],
          ['县教育和体育局', '部门', '周局长'],
          ['县金融服务中心', '部门', ''],
          ['终兴镇人民政府', '镇街', '吴镇长'],
          ['终兴镇人民政府', '镇街', ''],
          ['县某公司', '合作社', ''],
        ]),
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.fields)).toEqual(['row 3 单位名称', 'row 5 单位名称', 'row 6 类型']);
      expect(await count('unit')).toBe(before);
      const ok = await sec.ok(
        sec.post('/api/units/import', {
          format: 'csv',
          contentBase64: csv(
            '单位名称,类型,负责人\n县教育和体育局,部门,周局长\n终兴镇人民政府,镇街,吴镇长\n',
          ),
        }),
      );
      expect(ok).toMatchObject({ kind: 'units', imported: 2 });
      const town = (await db.query(`SELECT * FROM unit WHERE name = '终兴镇人民政府'`)).rows[0];
      expect(town).toMatchObject({ kind: 'town', head_name: '吴镇长' });
    });
  });

  describe('participants and units', () => {
    it('edits and deactivates a participant; only the secretariat sees the contact', async () => {
      const p = await sec.ok(
        sec.post('/api/participants', { name: '测试人', constituency: 'deputy', contact: '13100000000' }),
        201,
      );
      const edited = await sec.ok(
        sec.request<any>('PATCH', `/api/participants/${p.id}`, { sector: '农业', district: '城关镇' }),
      );
      expect(edited).toMatchObject({
        sector: '农业',
        district: '城关镇',
        contact: '13100000000',
        active: true,
      });
      const off = await sec.ok(sec.post(`/api/participants/${p.id}/deactivate`));
      expect(off.active).toBe(false);
      const supervisor = await Api.login(t.baseUrl, 'supervisor');
      const seen = await supervisor.ok(supervisor.get(`/api/participants/${p.id}`));
      expect(seen).not.toHaveProperty('contact');
      expect((await supervisor.request('PATCH', `/api/participants/${p.id}`, { active: true })).status).toBe(
        403,
      );
      const audit = await db.query(
        `SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'participant.deactivated'`,
        [p.id],
      );
      expect(JSON.stringify(audit.rows)).not.toContain('13100000000');
      const meeting = await sec.ok(
        sec.post('/api/meetings', {
          kind: 'symposium',
          title: '座谈会',
          startsAt: '2033-01-01T01:00:00Z',
          endsAt: '2033-01-01T02:00:00Z',
        }),
        201,
      );
      const inv = await sec.post<any>(`/api/meetings/${meeting.id}/invitations`, { participantId: p.id });
      expect(inv.status).toBe(400);
    });

    it('edits units, adds handlers and makes one the head', async () => {
      const unit = await sec.ok(
        sec.post('/api/units', { name: '县住房和城乡建设局', kind: 'department' }),
        201,
      );
      const renamed = await sec.ok(sec.request<any>('PATCH', `/api/units/${unit.id}`, { name: '县住建局' }));
      expect(renamed.name).toBe('县住建局');
      const clash = await sec.request<any>('PATCH', `/api/units/${unit.id}`, { name: '县金融服务中心' });
      expect(clash.status).toBe(409);
      const a = await sec.ok(
        sec.post(`/api/units/${unit.id}/handlers`, {
          username: 'zj-a',
          password: 'pass1',
          displayName: '经办人甲',
        }),
        201,
      );
      const b = await sec.ok(
        sec.post(`/api/units/${unit.id}/handlers`, {
          username: 'zj-b',
          password: 'pass2',
          displayName: '刘局长',
          head: true,
        }),
        201,
      );
      expect(b.head).toBe(true);
      // The answer is the unit with its new head's name; the handlers' flags follow.
      const after = await sec.ok(sec.post(`/api/units/${unit.id}/head`, { accountId: a.accountId }));
      expect(after).toMatchObject({ id: unit.id, headName: '经办人甲' });
      const handlers = await sec.all(`/api/units/${unit.id}/handlers`);
      expect(handlers.map((h: any) => [h.username, h.head])).toEqual([
        ['zj-a', true],
        ['zj-b', false],
      ]);
      expect((await sec.ok(sec.get(`/api/units/${unit.id}`))).headName).toBe('经办人甲');
      const others = await sec.all('/api/units');
      const elsewhere = await db.query(`SELECT id FROM account WHERE username = 'handler'`);
      const wrong = await sec.post(`/api/units/${unit.id}/head`, { accountId: elsewhere.rows[0].id });
      expect(wrong.status).toBe(400);
      expect(others.length).toBeGreaterThan(1);
    });
  });
});
