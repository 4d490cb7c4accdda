/* The screens in a real browser (Debian's Chromium, headless, driven by playwright-core) against
 * the api on a fresh test database: a whole meeting with a console and two tablets — planning and
 * QR check-in, an input, an anonymous input, a co-sign, a vote, a network drop on one tablet (an
 * input typed offline survives a reload and arrives exactly once, although the ack of its first
 * send is lost; after a drop without reload it rejoins with `afterSeq` and shows what it missed
 * once) — then the item through its loop on the console, each step by its role, and the
 * figure moving on the dashboard. Every screen is checked with axe-core and photographed. */
import { Client } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SCREENS_CSP } from '../../apps/api/src/app.module';
import { Api } from '../support/app';
import { CutProxy } from './support/cut-proxy';
import {
  buildScreens,
  clearScreenshots,
  launchChromium,
  newContext,
  screenshot,
  seriousViolations,
  shanghaiLocal,
  startWebApp,
  until,
} from './support/web-app';

jest.setTimeout(180_000);

const TITLE = '县政府第十三次常务会议';
const AGENDA = '医疗器械产业项目融资支持';
const INPUT_A = '企业新上医疗器械项目缺少抵质押物，无法筹措资金';
const INPUT_ANON = '城区学校学位紧张，建议扩容';
const OFFLINE = '园区道路照明不足，夜间出行不便（离线输入）';
const DRAFT = '尚未提交的草稿';
const MISSED = '社区养老服务中心运营经费不足';

let web: { dir: string; remove(): void };
let api: Awaited<ReturnType<typeof startWebApp>>;
let proxy: CutProxy;
let browser: Browser;
let ctxA: BrowserContext;
let console_: Page; // the secretariat (and, signed in in turn, the unit, its head and the leader)
let tabletA: Page; // 王建国 (member1), through the cuttable proxy
let tabletB: Page; // 张秀兰 (citizen1)
let dashboard: Page; // the supervision office
let meetingId = '';
let db: Client; // the test database: what was stored, not only what a screen shows
const a11y: Record<string, string[]> = {};
const cspViolations: string[] = [];

async function sql<T>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query(text, values)).rows as T[];
}

/** The meeting's `input.submitted` events (what went out to every screen), oldest first. */
async function submittedEvents(): Promise<{ text: string; author: { name: string } | null }[]> {
  const rows = await sql<{ data: { text: string; author: { name: string } | null } }>(
    `SELECT data FROM event_log WHERE stream = $1 AND type = 'input.submitted' ORDER BY seq`,
    [`meeting:${meetingId}`],
  );
  return rows.map((r) => r.data);
}

async function checkScreen(page: Page, name: string): Promise<void> {
  a11y[name] = await seriousViolations(page);
  await screenshot(page, name);
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('whoami').filter({ hasText: username }).waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByLabel('用户名').waitFor();
}

const inputsWith = (page: Page, testId: string, text: string) =>
  page.getByTestId(testId).filter({ hasText: text });

beforeAll(async () => {
  clearScreenshots();
  web = buildScreens();
  api = await startWebApp(web.dir);
  db = new Client({ connectionString: api.dbUrl });
  await db.connect();
  proxy = new CutProxy(api.port);
  const viaProxy = await proxy.start();
  browser = await launchChromium();
  console_ = await (await newContext(browser, { width: 1280, height: 1000 })).newPage();
  dashboard = await (await newContext(browser, { width: 1280, height: 1000 })).newPage();
  ctxA = await newContext(browser);
  tabletA = await ctxA.newPage();
  tabletB = await (await newContext(browser)).newPage();
  // Waits are on conditions; a busy 2-core machine may take a while to meet them.
  for (const page of [console_, dashboard, tabletA, tabletB]) {
    page.setDefaultTimeout(60_000);
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
  }
  await console_.goto(`${api.baseUrl}/console`);
  await dashboard.goto(`${api.baseUrl}/dashboard`);
  await tabletA.goto(`${viaProxy}/tablet`);
  await tabletB.goto(`${api.baseUrl}/tablet`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.stop();
  await db?.end();
  await api?.close();
  web?.remove();
});

describe('the screens in a browser', () => {
  it('are served at / beside /api: client routes answer the app, /api stays JSON', async () => {
    for (const path of ['/', '/tablet', '/console', '/dashboard']) {
      const res = await fetch(`${api.baseUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(SCREENS_CSP);
      expect(await res.text()).toContain('<div id="root">');
    }
    const missing = await fetch(`${api.baseUrl}/api/no-such-route`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect((await fetch(`${api.baseUrl}/api/health/live`)).status).toBe(200);
  });

  it('plans a meeting on the console: agenda, policy, generated invitations with reasons, QR codes', async () => {
    await checkScreen(tabletA, 'tablet-check-in');
    await signIn(console_, 'secretary');
    const start = new Date(Date.now() + 4 * 3600_000);
    await console_.getByLabel('会议名称').fill(TITLE);
    await console_.getByLabel('开始时间').fill(shanghaiLocal(start));
    await console_.getByLabel('结束时间').fill(shanghaiLocal(new Date(start.getTime() + 3 * 3600_000)));
    await console_.getByLabel('地点').fill('县政府第一会议室');
    await console_.getByRole('button', { name: '创建会议' }).click();
    await console_.getByRole('heading', { name: new RegExp(TITLE) }).waitFor();
    await console_.getByLabel('议题名称').fill(AGENDA);
    await console_.getByLabel('营商环境').check();
    await console_.getByRole('button', { name: '添加议题', exact: true }).click();
    await console_.getByRole('listitem').filter({ hasText: AGENDA }).waitFor();

    const policy = console_.getByRole('form', { name: '邀请规则' });
    await policy.getByLabel('规则名称').fill('重点工作列席');
    await policy.getByLabel('政协委员').fill('1');
    await policy.getByLabel('市民代表').fill('1');
    await policy.getByRole('button', { name: '保存规则' }).click();
    await policy.getByText('重点工作列席').waitFor();

    await console_.getByRole('button', { name: '确定会议安排' }).click();
    await console_.getByRole('heading', { name: /已安排/ }).waitFor();
    await console_.getByRole('button', { name: '按邀请规则生成邀请' }).click();
    await console_.getByText('新邀请 2').waitFor();
    await until('two invitations', async () => (await console_.getByTestId('invitation').count()) === 2);
    meetingId = (await console_.locator('select').first().inputValue()).trim();
    expect(meetingId).toMatch(/^[0-9a-f-]{36}$/);

    await console_.getByRole('button', { name: '生成签到码：王建国' }).click();
    await console_.getByRole('button', { name: '生成签到码：张秀兰' }).click();
    await until('two QR codes', async () => (await console_.getByTestId('qr-payload').count()) === 2);
    await checkScreen(console_, 'console-planning');
  });

  it('checks both tablets in with their QR payloads, one by keyboard alone; the console opens the session and advances the agenda', async () => {
    const payload = (name: string) =>
      console_.getByTestId('invitation').filter({ hasText: name }).getByTestId('qr-payload').innerText();
    // A wrong code is refused, and said so.
    await tabletA.getByLabel(/签到码/).fill(`liexi:checkin:${meetingId}:not-the-code`);
    await tabletA.getByRole('button', { name: '签到', exact: true }).click();
    await tabletA.getByRole('alert').filter({ hasText: 'UNAUTHORIZED' }).waitFor();
    await tabletA.getByLabel(/签到码/).fill(await payload('王建国'));
    await tabletA.getByRole('button', { name: '签到', exact: true }).click();
    await tabletA.getByRole('heading', { name: TITLE }).waitFor();

    // The other tablet by keyboard alone: the skip link comes first and shows itself, focus is
    // always visible (an outline), the code field is reached with Tab and sent with Enter.
    await tabletB.keyboard.press('Tab');
    expect(await focused(tabletB)).toEqual(
      expect.objectContaining({ text: '跳到正文', outline: 'solid', onScreen: true }),
    );
    await tabletB.keyboard.press('Enter');
    for (let i = 0; i < 20 && (await focused(tabletB)).name !== 'checkin'; i++)
      await tabletB.keyboard.press('Tab');
    expect(await focused(tabletB)).toEqual(
      expect.objectContaining({ name: 'checkin', outline: 'solid', onScreen: true }),
    );
    await tabletB.keyboard.type(await payload('张秀兰'));
    await tabletB.keyboard.press('Enter');
    await tabletB.getByRole('heading', { name: TITLE }).waitFor();
    await console_.getByRole('tab', { name: '会场' }).click();
    await console_.getByTestId('present').filter({ hasText: '2' }).waitFor();
    await console_.getByRole('button', { name: '开始会议' }).click();
    await console_.getByTestId('meeting-status').filter({ hasText: '会议中' }).waitFor();
    await console_.getByRole('button', { name: '下一议题' }).click();
    for (const tablet of [tabletA, tabletB])
      await tablet.getByTestId('current-item').filter({ hasText: AGENDA }).waitFor();
    await tabletA.getByTestId('link').filter({ hasText: '已连接' }).waitFor();
  });

  it('runs the session: an input, an anonymous input, a co-sign and a vote, seen live everywhere', async () => {
    await tabletA.getByLabel('内容').fill(INPUT_A);
    await tabletA.getByRole('button', { name: '提交', exact: true }).click();
    await tabletB.getByLabel('匿名提交（不显示姓名）').check();
    await tabletB.getByLabel('内容').fill(INPUT_ANON);
    await tabletB.getByRole('button', { name: '提交', exact: true }).click();

    for (const tablet of [tabletA, tabletB]) {
      await inputsWith(tablet, 'input', INPUT_A).filter({ hasText: '王建国' }).waitFor();
      await inputsWith(tablet, 'input', INPUT_ANON).filter({ hasText: '匿名' }).waitFor();
    }
    // The anonymous author is nowhere on another tablet.
    expect(await inputsWith(tabletA, 'input', INPUT_ANON).innerText()).not.toContain('张秀兰');

    await inputsWith(tabletB, 'input', INPUT_A).getByRole('button', { name: '联名' }).click();
    for (const tablet of [tabletA, tabletB])
      await inputsWith(tablet, 'input', INPUT_A)
        .getByTestId('cosigns')
        .filter({ hasText: '联名 1' })
        .waitFor();
    await inputsWith(tabletB, 'input', INPUT_A).getByRole('button', { name: '已联名' }).waitFor();

    await console_.getByLabel('表决事项').fill('同意将融资问题列入任务清单');
    await console_.getByRole('button', { name: '发起表决' }).click();
    for (const tablet of [tabletA, tabletB]) {
      await tablet.getByTestId('poll').getByRole('button', { name: '同意' }).click();
      await tablet.getByTestId('my-vote').filter({ hasText: '您已投票：同意' }).waitFor();
    }
    await console_.getByTestId('console-poll').getByTestId('turnout').filter({ hasText: '2/2' }).waitFor();
    await inputsWith(console_, 'console-input', INPUT_A).filter({ hasText: '联名 1' }).waitFor();
    expect(await inputsWith(console_, 'console-input', INPUT_ANON).innerText()).not.toContain('张秀兰');
    // A request to speak, and the chair gives the floor.
    await tabletB.getByRole('button', { name: '申请发言' }).click();
    await tabletB.getByRole('button', { name: '撤回发言申请' }).waitFor();
    await console_.getByRole('listitem').filter({ hasText: '张秀兰' }).waitFor();
    await console_.getByRole('button', { name: '请下一位发言' }).click();
    await tabletA.getByText('正在发言：张秀兰').waitFor();
    await checkScreen(console_, 'console-session');
    await checkScreen(tabletB, 'tablet-meeting');
    await console_.getByRole('button', { name: '结束表决' }).click();
    const poll = await pollId();
    await tabletA
      .getByTestId('tally-' + poll)
      .filter({ hasText: '已结束' })
      .waitFor();

    // Stored as shown: two inputs by their authors, the anonymous one sent out with no author,
    // one co-sign, two voters and two ballots.
    const inputs = await sql<{ text: string; anonymous: boolean; author: string }>(
      `SELECT i.text, i.anonymous, p.name AS author FROM input i
       JOIN participant p ON p.id = i.author_participant_id WHERE i.meeting_id = $1 ORDER BY i.text`,
      [meetingId],
    );
    expect(inputs).toEqual(
      [
        { text: INPUT_A, anonymous: false, author: '王建国' },
        { text: INPUT_ANON, anonymous: true, author: '张秀兰' },
      ].sort((x, y) => (x.text < y.text ? -1 : 1)),
    );
    const events = await submittedEvents();
    expect(events).toHaveLength(2);
    expect(events.find((e) => e.text === INPUT_A)?.author?.name).toBe('王建国');
    expect(events.find((e) => e.text === INPUT_ANON)?.author).toBeNull();
    expect(
      await sql(
        `SELECT p.name, i.text FROM input_cosign c JOIN participant p ON p.id = c.participant_id
         JOIN input i ON i.id = c.input_id WHERE c.meeting_id = $1`,
        [meetingId],
      ),
    ).toEqual([{ name: '张秀兰', text: INPUT_A }]);
    expect(await sql('SELECT count(*)::int AS n FROM poll_voter WHERE poll_id = $1', [poll])).toEqual([
      { n: 2 },
    ]);
    expect(await sql('SELECT choice FROM poll_ballot WHERE poll_id = $1', [poll])).toEqual([
      { choice: '同意' },
      { choice: '同意' },
    ]);
  });

  it('keeps an input typed offline through a drop and a reload; it arrives exactly once, though its first ack is lost', async () => {
    await ctxA.setOffline(true);
    proxy.setMode('down');
    await tabletA.getByTestId('link').filter({ hasText: '网络已断开' }).waitFor();
    await tabletA.getByLabel('内容').fill(OFFLINE);
    await tabletA.getByRole('button', { name: '提交', exact: true }).click();
    await tabletA.getByTestId('queued').filter({ hasText: OFFLINE }).waitFor();
    await tabletA.getByTestId('pending').filter({ hasText: '1' }).waitFor();
    await tabletA.getByLabel('内容').fill(DRAFT);
    await checkScreen(tabletA, 'tablet-offline');

    // Back online for pages and REST, the live connection still down: reload the tablet.
    await ctxA.setOffline(false);
    proxy.setMode('http-only');
    await tabletA.reload();
    await tabletA.getByTestId('queued').filter({ hasText: OFFLINE }).waitFor();
    expect(await tabletA.getByLabel('内容').inputValue()).toBe(DRAFT);
    expect(await inputsWith(console_, 'console-input', OFFLINE).count()).toBe(0);
    // The queued write, as kept in local storage across the reload: its clientKey is the one stored.
    const queued = (await outboxes(tabletA)).flat().filter((e) => e.payload.text === OFFLINE);
    expect(queued).toHaveLength(1);
    const clientKey = queued[0].key;

    // The live connection comes back; the first ack of the resent input is cut off in flight.
    proxy.dropConnectionOnAck('{"ok":true,"data":{"inputId":');
    proxy.setMode('open');
    await until('the outbox to empty', async () => (await tabletA.getByTestId('queued').count()) === 0);
    expect(proxy.ackDrops).toBe(1);
    await tabletA.getByTestId('link').filter({ hasText: '已连接' }).waitFor();
    await inputsWith(console_, 'console-input', OFFLINE).waitFor();
    await inputsWith(tabletB, 'input', OFFLINE).waitFor();
    expect(await inputsWith(console_, 'console-input', OFFLINE).count()).toBe(1);
    expect(await inputsWith(tabletA, 'input', OFFLINE).count()).toBe(1);
    const secretary = await Api.login(api.baseUrl, 'secretary');
    type Listed = { text: string }[] | { items: { text: string }[] }; // a bare list, or a page (issue 11)
    const listed = await secretary.ok<Listed>(secretary.get(`/api/meetings/${meetingId}/inputs`));
    const stored = Array.isArray(listed) ? listed : listed.items;
    expect(stored.filter((i) => i.text === OFFLINE)).toHaveLength(1);
    expect(stored).toHaveLength(3);
    // In the database: one row, under the clientKey the tablet queued it with, and one event sent
    // out (the resend after the lost ack answered the first result, it did not store it again).
    expect(
      await sql('SELECT client_key FROM input WHERE meeting_id = $1 AND text = $2', [meetingId, OFFLINE]),
    ).toEqual([{ client_key: clientKey }]);
    expect((await submittedEvents()).filter((e) => e.text === OFFLINE)).toHaveLength(1);
    // Acked: the outbox is gone from local storage; the draft being typed is still there.
    expect(await outboxes(tabletA)).toEqual([]);
    expect(await tabletA.getByLabel('内容').inputValue()).toBe(DRAFT);
  });

  it('catches up after its live connection drops: rejoins with afterSeq, what it missed shown once', async () => {
    const joins: string[] = [];
    tabletA.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('"meeting.join"')) joins.push(payload);
      }),
    );
    proxy.setMode('http-only');
    await tabletA.getByTestId('link').filter({ hasText: '网络已断开' }).waitFor();
    // The meeting goes on without this tablet: the other one submits an input.
    await tabletB.getByLabel('内容').fill(MISSED);
    await tabletB.getByRole('button', { name: '提交', exact: true }).click();
    await inputsWith(console_, 'console-input', MISSED).waitFor();
    expect(await inputsWith(tabletA, 'input', MISSED).count()).toBe(0);

    proxy.setMode('open');
    await inputsWith(tabletA, 'input', MISSED).waitFor();
    await tabletA.getByTestId('link').filter({ hasText: '已连接' }).waitFor();
    expect(await inputsWith(tabletA, 'input', MISSED).count()).toBe(1);
    // It rejoined after the last event it had, from before the missed input.
    const [missed] = await sql<{ seq: string }>(
      'SELECT submitted_seq AS seq FROM input WHERE meeting_id = $1 AND text = $2',
      [meetingId, MISSED],
    );
    expect(joins.length).toBeGreaterThan(0);
    for (const join of joins) {
      const afterSeq = /"afterSeq":(\d+)/.exec(join)?.[1];
      expect(afterSeq).toBeDefined();
      expect(Number(afterSeq)).toBeLessThan(Number(missed.seq));
    }
  });

  it('turns the input into an item and walks it through the loop, each step by its role; the dashboard figure moves', async () => {
    await signIn(dashboard, 'supervisor');
    // The figures are the insights API's (GET /api/figures, then `figures.updated` pushes).
    await dashboard.getByTestId('figure-assigned').filter({ hasText: /^0$/ }).waitFor();
    await dashboard.getByTestId('link').filter({ hasText: '已连接' }).waitFor();
    // Drill into 交办件数: its parts (handling, answered, closed out) stay open while it moves.
    await dashboard.getByRole('button', { name: /^交办件数/ }).click();
    await dashboard.getByTestId('count-assigned-closed').filter({ hasText: /^0$/ }).waitFor();

    await console_.getByRole('tab', { name: '意见建议' }).click();
    await inputsWith(console_, 'inbox-input', INPUT_A).getByRole('checkbox').check();
    const form = console_.getByRole('form', { name: /转为任务/ });
    await form.getByLabel('牵头单位（责任）').selectOption({ label: '县金融服务中心' });
    await form.getByLabel('措施').fill('知识产权质押贷款');
    await form.getByLabel('销号标准').fill('贷款审批发放到位');
    await form.getByLabel('立即交办牵头单位').uncheck();
    await form.getByRole('button', { name: '创建任务' }).click();
    await inputsWith(console_, 'inbox-input', INPUT_A).filter({ hasText: '已转任务' }).waitFor();
    // The anonymous input is answered directly (a disposition without an item).
    await inputsWith(console_, 'inbox-input', INPUT_ANON).getByRole('checkbox').check();
    await console_.getByLabel('答复内容或不予采纳的理由').fill('已纳入明年学位扩容计划。');
    await console_.getByRole('button', { name: '直接答复' }).click();
    await inputsWith(console_, 'inbox-input', INPUT_ANON).filter({ hasText: '已直接答复' }).waitFor();
    await checkScreen(console_, 'console-inputs');

    let signedIn = 'secretary';
    const step = async (who: string, buttons: string[], text?: string) => {
      if (who !== signedIn) {
        await signOut(console_);
        await signIn(console_, who);
        signedIn = who;
      }
      await console_.getByRole('tab', { name: '任务清单' }).click();
      await console_
        .getByTestId('item-row')
        .filter({ hasText: INPUT_A.slice(0, 20) })
        .getByRole('button')
        .click();
      for (const name of buttons) {
        if (text) await console_.getByLabel('答复内容 / 理由').fill(text);
        await console_.getByTestId('item-detail').getByRole('button', { name, exact: true }).click();
        await console_
          .getByTestId('item-detail')
          .getByRole('button', { name, exact: true })
          .waitFor({ state: 'detached' });
      }
    };
    await step('secretary', ['交办']);
    // Assigned, the item counts on the dashboard (drafts do not), live over /supervision.
    await dashboard.getByTestId('figure-assigned').filter({ hasText: /^1$/ }).waitFor();
    await dashboard.getByTestId('count-assigned-handling').filter({ hasText: /^1$/ }).waitFor();
    await dashboard.getByTestId('count-assigned-closed').filter({ hasText: /^0$/ }).waitFor();
    await dashboard.getByTestId('figure-green').filter({ hasText: /^1$/ }).waitFor();
    // The unit ranking (GET /api/rankings) names its criteria and counts the unit's item.
    await dashboard.getByTestId('ranking-criteria').filter({ hasText: '按时办结率' }).waitFor();
    await dashboard.getByTestId('ranking-row').filter({ hasText: '县金融服务中心' }).waitFor();
    await step('handler', ['接收', '开始整改']);
    await step(
      'handler',
      ['提交答复稿'],
      '已办理：1650万元知识产权质押贷款已批复，另办理1500万元流动资金贷款。',
    );
    await step('head', ['签发答复']);
    await step('secretary', ['审核通过']);
    await step('leader', ['审批同意']);
    await step('secretary', ['发送答复']);
    await console_.getByTestId('item-state').filter({ hasText: '已答复' }).waitFor();

    await tabletA.getByRole('tab', { name: '我的事项' }).click();
    await tabletA.getByTestId('my-item').filter({ hasText: '1650万元' }).waitFor();
    await checkScreen(tabletA, 'tablet-my-items');
    await tabletA.getByRole('button', { name: '满意', exact: true }).click();
    await tabletA.getByText('已评价：满意').waitFor();
    // The co-signer (联名) is a proposer too: the item closes once both have rated the reply.
    await tabletB.getByRole('tab', { name: '我的事项' }).click();
    await tabletB.getByRole('button', { name: '基本满意', exact: true }).click();
    await tabletB.getByText('已评价：基本满意').waitFor();

    await console_.getByRole('button', { name: '刷新' }).click();
    await step('secretary', ['销号']);
    await console_.getByTestId('item-state').filter({ hasText: '已销号' }).waitFor();
    await checkScreen(console_, 'console-item');

    // The figure moves on the dashboard, live over /supervision (no reload): closed out 0 → 1.
    await dashboard.getByTestId('count-assigned-closed').filter({ hasText: /^1$/ }).waitFor();
    await dashboard.getByTestId('count-assigned-handling').filter({ hasText: /^0$/ }).waitFor();
    await dashboard.getByTestId('ledger-state').filter({ hasText: '已销号' }).waitFor();
    // Drill-down: the part's rows (GET /api/figures/assigned/items?part=closed), then the item's
    // history (GET /api/tasks/{id}/history) with its transitions in order.
    await dashboard.getByTestId('part-assigned-closed').click();
    await dashboard
      .getByTestId('drill-row')
      .filter({ hasText: INPUT_A.slice(0, 20) })
      .getByRole('button')
      .click();
    const transitions = dashboard.getByTestId('history').getByTestId('history-transition');
    await transitions.filter({ hasText: '已销号' }).waitFor();
    const steps = (await transitions.allTextContents()).map((x) => x.trim());
    const loop = [
      '— → 草稿',
      '草稿 → 已交办',
      '已交办 → 已接收',
      '已接收 → 整改中',
      '整改中 → 答复待签发',
      '答复待签发 → 答复待审核',
      '答复待审核 → 答复待审批',
      '答复待审批 → 答复已审批',
      '答复已审批 → 已答复',
      '已答复 → 已评价',
      '已评价 → 已销号',
    ];
    expect(steps).toEqual(loop);
    await dashboard.getByTestId('history').filter({ hasText: '领导审批：通过' }).waitFor();
    await checkScreen(dashboard, 'dashboard');
    // The exports download with the api's names (the screen fetches them with its token).
    for (const [id, name] of [
      ['download-ledger', '台账.xlsx'],
      ['download-report', '办理情况报告.pdf'],
    ]) {
      const [file] = await Promise.all([
        dashboard.waitForEvent('download'),
        dashboard.getByTestId(id).click(),
      ]);
      expect(file.suggestedFilename()).toBe(name);
      expect(await file.failure()).toBeNull();
    }
    // The filters go to the api: the item is class A, so under class B nothing is assigned.
    await dashboard.getByLabel('分类').selectOption('B');
    await dashboard.getByTestId('figure-assigned').filter({ hasText: /^0$/ }).waitFor();
    await dashboard.getByRole('button', { name: '清除筛选' }).click();
    await dashboard.getByTestId('figure-assigned').filter({ hasText: /^1$/ }).waitFor();
    // Every text in both languages: the switch in the top bar.
    await dashboard.getByRole('button', { name: 'English' }).click();
    await dashboard.getByRole('heading', { name: 'Supervision dashboard' }).waitFor();
    await dashboard.getByTestId('ledger-state').filter({ hasText: 'Closed' }).waitFor();
    await dashboard.getByRole('button', { name: /^Items assigned/ }).waitFor();
    await dashboard.getByTestId('history-transition').filter({ hasText: 'Draft → Assigned' }).waitFor();
    await dashboard.getByRole('button', { name: '中文' }).click();
    await dashboard.getByRole('heading', { name: '督查看板' }).waitFor();
  });

  it('ran every screen under its Content-Security-Policy without a violation; the policy holds', async () => {
    expect(cspViolations).toEqual([]);
    // The policy is enforced (and its violations would have been heard): an inline script is refused.
    const ran = await tabletB.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.inline = "ran"';
      document.body.append(script);
      return document.body.dataset.inline ?? null;
    });
    expect(ran).toBeNull();
    await until('the violation to be reported', async () => Promise.resolve(cspViolations.length > 0));
    expect(cspViolations.join()).toContain('script-src');
  });

  it('has no serious or critical accessibility violations on any screen (axe-core, WCAG 2.1 A/AA)', () => {
    expect(Object.keys(a11y).sort()).toEqual(
      [
        'console-inputs',
        'console-item',
        'console-planning',
        'console-session',
        'dashboard',
        'tablet-check-in',
        'tablet-meeting',
        'tablet-my-items',
        'tablet-offline',
      ].sort(),
    );
    expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((k) => [k, []])));
  });
});

/** The element with the keyboard focus: its name or text, its outline, and whether it is on screen. */
function focused(page: Page): Promise<{ name: string; text: string; outline: string; onScreen: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement)) return { name: '', text: '', outline: '', onScreen: false };
    const box = el.getBoundingClientRect();
    return {
      name: el.getAttribute('name') ?? '',
      text: el.textContent?.trim() ?? '',
      outline: getComputedStyle(el).outlineStyle,
      onScreen: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0,
    };
  });
}

/** The outboxes a tablet keeps in local storage (one per account and meeting) with their writes. */
function outboxes(page: Page): Promise<{ key: string; payload: { text?: string } }[][]> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('liexi.outbox.'))
      .map(
        (k) => JSON.parse(localStorage.getItem(k) ?? '[]') as { key: string; payload: { text?: string } }[],
      ),
  );
}

/** The poll the console opened (its tally carries the id). */
async function pollId(): Promise<string> {
  const id = await console_
    .getByTestId('console-poll')
    .locator('[data-testid^="tally-"]')
    .getAttribute('data-testid');
  return (id ?? '').replace('tally-', '');
}
