import { Injectable, Logger } from '@nestjs/common';
import type { Constituency, Role } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import type { Actor } from '@liexi/platform';

export const DEMO_PASSWORD = 'demo';

export const DEMO_UNITS = [
  '县金融服务中心',
  '县农村商业银行',
  '县发展和改革局',
  '县市场监督管理局',
  '城关镇人民政府',
] as const;

export const DEMO_ATTENDEES: {
  username: string;
  name: string;
  constituency: Constituency;
  sector: string;
}[] = [
  { username: 'deputy1', name: '李红梅', constituency: 'deputy', sector: '教育' },
  { username: 'member1', name: '王建国', constituency: 'cppcc_member', sector: '医药' },
  { username: 'citizen1', name: '张秀兰', constituency: 'citizen_rep', sector: '社区' },
  { username: 'entrepreneur1', name: '陈志强', constituency: 'entrepreneur_rep', sector: '制造业' },
];

export const DEMO_STAFF: {
  username: string;
  role: Role;
  displayName: string;
  unit?: (typeof DEMO_UNITS)[number];
  /** 一把手 of the unit: signs its replies. */
  unitHead?: boolean;
}[] = [
  { username: 'secretary', role: 'secretariat', displayName: '县政府办秘书科' },
  { username: 'leader', role: 'leader', displayName: '县长' },
  { username: 'handler', role: 'unit_handler', displayName: '金融服务中心经办人', unit: '县金融服务中心' },
  {
    username: 'head',
    role: 'unit_handler',
    displayName: '金融服务中心主任',
    unit: '县金融服务中心',
    unitHead: true,
  },
  { username: 'bank', role: 'unit_handler', displayName: '农商银行经办人', unit: '县农村商业银行' },
  { username: 'supervisor', role: 'supervisor', displayName: '县政府督查室' },
];

const SYSTEM: Actor = {
  accountId: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  role: 'secretariat',
  unitId: null,
  participantId: null,
};

/**
 * Demo data for a fresh start: staff and attendee accounts (password `demo`), units, and one
 * executive meeting already in session with every attendee invited and checked in.
 * Idempotent: it does nothing once the `secretary` account exists.
 */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    private readonly directory: DirectoryService,
    private readonly meetings: MeetingsService,
  ) {}

  async seed(): Promise<boolean> {
    if (await this.directory.findAccountByUsername('secretary')) return false;
    this.logger.log('seeding demo data …');
    const units = new Map<string, string>();
    for (const name of DEMO_UNITS) units.set(name, (await this.directory.createUnit(SYSTEM, { name })).id);
    let chairAccountId: string | undefined;
    for (const s of DEMO_STAFF) {
      const account = await this.directory.createAccount(SYSTEM, {
        username: s.username,
        password: DEMO_PASSWORD,
        role: s.role,
        displayName: s.displayName,
        ...(s.unit ? { unitId: units.get(s.unit) } : {}),
      });
      if (s.unitHead && account.unitId) await this.directory.setUnitHead(SYSTEM, account.unitId, account.id);
      // 县长 (the `leader` login) chairs the demo meeting: with the secretariat, the one who steers it.
      if (s.role === 'leader') chairAccountId = account.id;
    }
    const participants: string[] = [];
    for (const a of DEMO_ATTENDEES) {
      const p = await this.directory.createParticipant(SYSTEM, {
        name: a.name,
        constituency: a.constituency,
        sector: a.sector,
        district: '城关镇',
      });
      participants.push(p.id);
      await this.directory.createAccount(SYSTEM, {
        username: a.username,
        password: DEMO_PASSWORD,
        role: 'attendee',
        displayName: a.name,
        participantId: p.id,
      });
    }
    const start = new Date();
    const meeting = await this.meetings.create(SYSTEM, {
      kind: 'executive',
      title: '县政府第十二次常务会议（演示）',
      startsAt: start,
      endsAt: new Date(start.getTime() + 3 * 3600_000),
      place: '县政府第一会议室',
      chair: '县长',
      ...(chairAccountId ? { chairAccountId } : {}),
      agenda: [
        {
          title: '医疗器械产业项目融资支持',
          category: 'key_work',
          topics: ['business_environment', 'industry'],
        },
        { title: '城区学校学位扩容方案', category: 'major_matter', topics: ['education', 'livelihood'] },
        {
          title: '《优化营商环境若干措施》（送审稿）',
          category: 'important_document',
          topics: ['business_environment'],
        },
      ],
    });
    for (const participantId of participants) {
      const inv = await this.meetings.invite(SYSTEM, meeting.id, participantId);
      await this.meetings.checkIn(SYSTEM, inv.id);
    }
    await this.meetings.transition(SYSTEM, meeting.id, 'schedule');
    await this.meetings.transition(SYSTEM, meeting.id, 'open');
    this.logger.log(`demo meeting ${meeting.id} is in session`);
    return true;
  }
}
