import { readParticipants, readUnits } from './directory-import';
import iconv from 'iconv-lite';
import { CsvError, decodeCsv, parseCsv } from './spreadsheet';

describe('parseCsv', () => {
  it('handles a BOM, quotes, doubled quotes, embedded commas and newlines, CRLF and LF', () => {
    expect(parseCsv('\uFEFF姓名,备注\r\n"王,二","说""好""\n的"\n李四,\n')).toEqual([
      ['姓名', '备注'],
      ['王,二', '说"好"\n的'],
      ['李四', ''],
    ]);
  });

  it('keeps a last line without a newline', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('parseCsv: encodings and bad quoting', () => {
  const sheet = '姓名,界别/身份,备注\r\n王建国,政协委员,"医药,器械"\r\n';
  const rows = [
    ['姓名', '界别/身份', '备注'],
    ['王建国', '政协委员', '医药,器械'],
  ];

  it('reads GBK, as Excel on Chinese Windows saves CSV', () => {
    const gbk = iconv.encode(sheet, 'gbk');
    expect(gbk.equals(Buffer.from(sheet, 'utf8'))).toBe(false);
    expect(decodeCsv(gbk).encoding).toBe('gb18030');
    expect(parseCsv(gbk)).toEqual(rows);
  });

  it('reads UTF-8 bytes with and without a BOM', () => {
    expect(decodeCsv(Buffer.from(sheet, 'utf8')).encoding).toBe('utf-8');
    expect(parseCsv(Buffer.from(sheet, 'utf8'))).toEqual(rows);
    expect(parseCsv(Buffer.from(`\uFEFF${sheet}`, 'utf8'))).toEqual(rows);
  });

  test.each([
    ['an unclosed quote', '姓名,备注\n王二,"没有结束\n李四,x\n', 3, '引号未闭合'],
    ['a quote inside an unquoted cell', '姓名,备注\n王二,说"好"\n', 2, '未加引号'],
    ['text after a closing quote', '姓名,备注\n王二,"好"的\n', 2, '引号闭合后'],
  ])('refuses %s, naming the line', (_name, text, line, zh) => {
    let err: unknown;
    try {
      parseCsv(Buffer.from(text, 'utf8'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).line).toBe(line);
    expect((err as CsvError).zh).toContain(zh);
    expect((err as CsvError).zh).toContain(`第 ${line} 行`);
  });
});

describe('readParticipants', () => {
  it('maps the Chinese constituency labels', () => {
    const labels = ['人大代表', '政协委员', '市民代表', '企业家代表', '专家', '媒体'];
    const { rows, errors } = readParticipants([
      ['姓名', '界别/身份'],
      ...labels.map((l, i) => [`人${i}`, l]),
    ]);
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.constituency)).toEqual([
      'deputy',
      'cppcc_member',
      'citizen_rep',
      'entrepreneur_rep',
      'expert',
      'media',
    ]);
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('accepts header aliases in any order and skips blank rows', () => {
    const { rows, errors } = readParticipants([
      ['联系方式', '身份', '名字', '行业', '镇街'],
      ['', '', '', '', ''],
      ['139', '专家', '孙', '金融', '城关镇'],
    ]);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        row: 3,
        name: '孙',
        constituency: 'expert',
        sector: '金融',
        district: '城关镇',
        contact: '139',
        active: true,
      },
    ]);
  });

  it('reports each problem with row, column and both languages', () => {
    const { errors } = readParticipants([
      ['姓名', '界别/身份', '状态'],
      ['甲', '', ''],
      ['乙', '人大代表', '离职'],
      ['x'.repeat(101), '媒体', ''],
    ]);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [2, '界别/身份'],
      [3, '状态'],
      [4, '姓名'],
    ]);
    for (const e of errors) {
      expect(e.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(e.message.en).toMatch(/[a-z]/);
    }
  });

  it('reports missing headers on row 1 and reads no rows', () => {
    const { rows, errors } = readParticipants([['姓名'], ['甲']]);
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      {
        row: 1,
        column: '界别/身份',
        message: { zh: '缺少表头「界别/身份」', en: 'missing header "界别/身份"' },
      },
    ]);
    expect(readParticipants([]).errors[0].message.en).toBe('the sheet is empty');
  });
});

describe('readUnits', () => {
  it('maps unit types, defaults to department, and reports repeats', () => {
    const { rows, errors } = readUnits([
      ['单位名称', '类型', '负责人'],
      ['县财政局', '', '钱局长'],
      ['城关镇人民政府', '镇街', ''],
      ['县财政局', '部门', ''],
    ]);
    expect(rows.map((r) => [r.name, r.kind, r.headName])).toEqual([
      ['县财政局', 'department', '钱局长'],
      ['城关镇人民政府', 'town', null],
    ]);
    expect(errors).toEqual([
      { row: 4, column: '单位名称', message: { zh: '与第 2 行重复', en: 'duplicates row 2' } },
    ]);
  });
});
