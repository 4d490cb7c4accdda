import { Inject, Injectable } from '@nestjs/common';
import type { Constituency } from '@liexi/contracts';
import {
  AccessChanges,
  type Actor,
  APP_CONFIG,
  type AppConfig,
  AuditService,
  conflict,
  DomainException,
  hashPassword,
  invalid,
  keysetPage,
  mapPage,
  needsRehash,
  notFound,
  type Page,
  type PageQueryDto,
  SCRYPT_COST,
  type ScryptCost,
  SocketSessions,
  TokenService,
  Db,
  verifyPassword,
} from '@liexi/platform';
import { In, Repository } from 'typeorm';
import { AccountEntity } from './account.entity';
import type {
  CreateAccountDto,
  CreateHandlerDto,
  CreateParticipantDto,
  CreateUnitDto,
  ListParticipantsQueryDto,
  UpdateParticipantDto,
  UpdateUnitDto,
} from './directory.dto';
import {
  type AccountView,
  accountView,
  type ParticipantRecord,
  participantRecord,
  type ParticipantView,
  type UnitHandlerView,
  type UnitView,
  unitView,
} from './directory.views';
import { ParticipantEntity } from './participant.entity';
import { UnitEntity } from './unit.entity';

/** A precomputed hash so unknown usernames cost as much as wrong passwords. */
const DUMMY_HASH = 'scrypt$16384$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const handlerView = (a: AccountEntity): UnitHandlerView => ({
  accountId: a.id,
  username: a.username,
  displayName: a.displayName,
  head: a.unitHead,
  active: a.active,
});

@Injectable()
export class DirectoryService {
  private readonly constituencyListeners: ((
    participantId: string,
    constituency: Constituency,
  ) => Promise<void>)[] = [];

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SocketSessions,
    private readonly access: AccessChanges,
  ) {}

  /** Through the unit of work: inside a transaction, on its connection. */
  private get units(): Repository<UnitEntity> {
    return this.db.manager.getRepository(UnitEntity);
  }

  /** Through the unit of work: inside a transaction, on its connection. */
  private get participants(): Repository<ParticipantEntity> {
    return this.db.manager.getRepository(ParticipantEntity);
  }

  /** Through the unit of work: inside a transaction, on its connection. */
  private get accounts(): Repository<AccountEntity> {
    return this.db.manager.getRepository(AccountEntity);
  }

  async login(
    username: string,
    password: string,
  ): Promise<{ accessToken: string; expiresAt: string; actor: Actor }> {
    const account = await this.accounts.findOne({ where: { username, active: true } });
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok || !(await this.personActive(account)))
      throw new DomainException('UNAUTHORIZED', 'wrong username or password');
    if (needsRehash(account.passwordHash, this.scryptCost)) await this.rehash(account, password);
    const actor = this.actorOf(accountView(account));
    return { ...this.tokens.sign(actor), actor };
  }

  /**
   * A hash of an older format or a lower cost is rewritten with today's, now that the password
   * is at hand; guarded on the old value, so a password changed meanwhile is never overwritten.
   */
  private async rehash(account: AccountEntity, password: string): Promise<void> {
    const stronger = await hashPassword(password, this.scryptCost);
    await this.db.manager.update(
      AccountEntity,
      { id: account.id, passwordHash: account.passwordHash },
      { passwordHash: stronger },
    );
  }

  private get scryptCost(): ScryptCost {
    return { ...SCRYPT_COST, logN: this.config.passwordScryptLogN };
  }

  /** An attendee account works only while its participant is active. */
  private async personActive(account: { participantId: string | null }): Promise<boolean> {
    if (!account.participantId) return true;
    return (await this.participants.count({ where: { id: account.participantId, active: true } })) > 0;
  }

  actorOf(account: AccountView): Actor {
    return {
      accountId: account.id,
      username: account.username,
      role: account.role,
      unitId: account.unitId,
      participantId: account.participantId,
    };
  }

  async createUnit(actor: Actor | null, dto: CreateUnitDto): Promise<UnitView> {
    return this.db.transaction(async () => {
      const existing = await this.db.manager.findOne(UnitEntity, { where: { name: dto.name } });
      if (existing) throw conflict(`a unit named ${dto.name} exists`);
      const unit = await this.db.manager.save(
        this.db.manager.create(UnitEntity, {
          name: dto.name,
          kind: dto.kind ?? 'department',
          headName: dto.headName ?? null,
        }),
      );
      await this.audit.record(actor, {
        action: 'unit.created',
        entityType: 'unit',
        entityId: unit.id,
        after: unit,
      });
      return unitView(unit);
    });
  }

  /** Every unit by name, for other contexts (the edge pages them: unitPage). */
  async listUnits(): Promise<UnitView[]> {
    return (await this.units.find({ order: { name: 'ASC' } })).map(unitView);
  }

  async unitPage(query: PageQueryDto): Promise<Page<UnitView>> {
    const order = { column: 'u.name', type: 'text', id: 'u.id' } as const;
    return mapPage(await keysetPage(this.units.createQueryBuilder('u'), order, query), unitView);
  }

  async getUnit(id: string): Promise<UnitView> {
    const unit = await this.units.findOne({ where: { id } });
    if (!unit) throw notFound('unit', id);
    return unitView(unit);
  }

  /** Every id must name a unit; throws VALIDATION naming the field otherwise. */
  async requireUnits(ids: string[], field: string): Promise<UnitView[]> {
    if (ids.length === 0) return [];
    const found = await this.units.find({ where: { id: In(ids) } });
    const missing = ids.filter((id) => !found.some((u) => u.id === id));
    if (missing.length > 0)
      throw invalid(`unknown unit ${missing.join(', ')}`, { [field]: ['unknown unit'] });
    return found.map(unitView);
  }

  async createParticipant(actor: Actor | null, dto: CreateParticipantDto): Promise<ParticipantRecord> {
    return this.db.transaction(async () => {
      const p = await this.db.manager.save(
        this.db.manager.create(ParticipantEntity, {
          name: dto.name,
          constituency: dto.constituency,
          sector: dto.sector ?? null,
          district: dto.district ?? null,
          contact: dto.contact ?? null,
          active: dto.active ?? true,
        }),
      );
      // The contact is private: the audit row records that it was set, not its value.
      await this.audit.record(actor, {
        action: 'participant.created',
        entityType: 'participant',
        entityId: p.id,
        after: { ...p, contact: p.contact ? '(set)' : null },
      });
      return participantRecord(p);
    });
  }

  /** People by name, a page at a time, filtered by constituency and active. */
  async participantPage(actor: Actor, query: ListParticipantsQueryDto): Promise<Page<ParticipantView>> {
    const qb = this.participants.createQueryBuilder('p');
    if (query.constituency) qb.andWhere('p.constituency = :c', { c: query.constituency });
    if (query.active) qb.andWhere('p.active = :a', { a: query.active === 'true' });
    const page = await keysetPage(qb, { column: 'p.name', type: 'text', id: 'p.id' }, query);
    return mapPage(page, (p) => this.participantView(participantRecord(p), actor));
  }

  async getParticipant(id: string): Promise<ParticipantRecord> {
    const p = await this.participants.findOne({ where: { id } });
    if (!p) throw notFound('participant', id);
    return participantRecord(p);
  }

  async participantsByIds(ids: string[]): Promise<Map<string, ParticipantRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.participants.find({ where: { id: In(ids) } });
    return new Map(rows.map((p) => [p.id, participantRecord(p)]));
  }

  /** What a client may see of a participant: the contact for the secretariat only. */
  participantView(p: ParticipantRecord, actor: Actor): ParticipantView {
    const view: ParticipantView = {
      id: p.id,
      name: p.name,
      constituency: p.constituency,
      sector: p.sector,
      district: p.district,
      active: p.active,
    };
    if (actor.role === 'secretariat') view.contact = p.contact;
    return view;
  }

  /** `then` runs in the same transaction, after the account row is written (e.g. to make it unit head). */
  async createAccount(
    actor: Actor | null,
    dto: CreateAccountDto,
    then?: (account: AccountView) => Promise<void>,
  ): Promise<AccountView> {
    if (dto.role === 'unit_handler' && !dto.unitId)
      throw invalid('a unit handler needs a unit', { unitId: ['required for unit_handler'] });
    if (dto.role === 'attendee' && !dto.participantId) {
      throw invalid('an attendee account needs a participant', { participantId: ['required for attendee'] });
    }
    if (dto.unitId) await this.getUnit(dto.unitId);
    if (dto.participantId) await this.getParticipant(dto.participantId);
    const passwordHash = await hashPassword(dto.password, this.scryptCost);
    return this.db.transaction(async () => {
      const existing = await this.db.manager.findOne(AccountEntity, { where: { username: dto.username } });
      if (existing) throw conflict(`username ${dto.username} is taken`);
      const account = await this.db.manager.save(
        this.db.manager.create(AccountEntity, {
          username: dto.username,
          passwordHash,
          role: dto.role,
          displayName: dto.displayName,
          unitId: dto.unitId ?? null,
          participantId: dto.participantId ?? null,
        }),
      );
      await this.audit.record(actor, {
        action: 'account.created',
        entityType: 'account',
        entityId: account.id,
        after: {
          username: account.username,
          role: account.role,
          unitId: account.unitId,
          participantId: account.participantId,
        },
      });
      const view = accountView(account);
      if (then) await then(view);
      return view;
    });
  }

  /** Active participants of these constituencies (for invitation planning). */
  async activeParticipants(constituencies: string[]): Promise<ParticipantRecord[]> {
    if (constituencies.length === 0) return [];
    const rows = await this.participants.find({
      where: { constituency: In(constituencies) as never, active: true },
      order: { name: 'ASC', id: 'ASC' },
    });
    return rows.map(participantRecord);
  }

  /** The active attendee account of a participant, if any (for the check-in session token). */
  async attendeeAccountOf(participantId: string): Promise<AccountView | null> {
    const account = await this.accounts.findOne({
      where: { participantId, role: 'attendee', active: true },
      order: { createdAt: 'ASC' },
    });
    return account && (await this.personActive(account)) ? accountView(account) : null;
  }

  /**
   * `listener` runs in the transaction of every change of a participant's constituency, so
   * that a context that copied it (the proposers of task items, for the figures) stays in step.
   */
  onConstituencyChange(listener: (participantId: string, constituency: Constituency) => Promise<void>): void {
    this.constituencyListeners.push(listener);
  }

  async updateParticipant(actor: Actor, id: string, dto: UpdateParticipantDto): Promise<ParticipantRecord> {
    return this.db.transaction(async () => {
      const p = await this.db.manager.findOne(ParticipantEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!p) throw notFound('participant', id);
      const before = { ...p, contact: p.contact ? '(set)' : null };
      Object.assign(p, {
        name: dto.name ?? p.name,
        constituency: dto.constituency ?? p.constituency,
        sector: dto.sector === undefined ? p.sector : dto.sector || null,
        district: dto.district === undefined ? p.district : dto.district || null,
        contact: dto.contact === undefined ? p.contact : dto.contact || null,
        active: dto.active ?? p.active,
      });
      await this.db.manager.update(
        ParticipantEntity,
        { id },
        {
          name: p.name,
          constituency: p.constituency,
          sector: p.sector,
          district: p.district,
          contact: p.contact,
          active: p.active,
        },
      );
      if (before.constituency !== p.constituency)
        for (const listener of this.constituencyListeners) await listener(id, p.constituency);
      // Deactivated: every token of the person stops working at once (sockets too, every node),
      // and their open sockets are dropped through the socket.io adapter once this commits.
      if (before.active !== p.active) await this.access.setSubject('participant', id, !p.active);
      if (dto.active === false && before.active) {
        const accounts = await this.accounts.find({ where: { participantId: id }, select: { id: true } });
        this.db.afterCommit(() => this.sessions.disconnect(accounts.map((a) => a.id)));
      }
      await this.audit.record(actor, {
        action: dto.active === false ? 'participant.deactivated' : 'participant.updated',
        entityType: 'participant',
        entityId: id,
        before,
        after: { ...p, contact: p.contact ? '(set)' : null },
      });
      return participantRecord(p);
    });
  }

  async updateUnit(actor: Actor, id: string, dto: UpdateUnitDto): Promise<UnitView> {
    return this.db.transaction(async () => {
      const unit = await this.db.manager.findOne(UnitEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!unit) throw notFound('unit', id);
      if (dto.name && dto.name !== unit.name) {
        const clash = await this.db.manager.findOne(UnitEntity, { where: { name: dto.name } });
        if (clash) throw conflict(`a unit named ${dto.name} exists`);
      }
      const before = { ...unit };
      Object.assign(unit, {
        name: dto.name ?? unit.name,
        kind: dto.kind ?? unit.kind,
        headName: dto.headName === undefined ? unit.headName : dto.headName || null,
      });
      await this.db.manager.update(
        UnitEntity,
        { id },
        { name: unit.name, kind: unit.kind, headName: unit.headName },
      );
      await this.audit.record(actor, {
        action: 'unit.updated',
        entityType: 'unit',
        entityId: id,
        before,
        after: unit,
      });
      return unitView(unit);
    });
  }

  /** The unit's handler accounts in the order they were made. */
  async unitHandlerPage(unitId: string, query: PageQueryDto): Promise<Page<UnitHandlerView>> {
    await this.getUnit(unitId);
    const qb = this.accounts.createQueryBuilder('a').where('a.unit_id = :unitId', { unitId });
    const page = await keysetPage(qb, { column: 'a.created_at', type: 'timestamptz', id: 'a.id' }, query);
    return mapPage(page, handlerView);
  }

  /** A handler (经办人) account for the unit; `head` makes it the unit head (only one per unit). */
  async addUnitHandler(actor: Actor, unitId: string, dto: CreateHandlerDto): Promise<UnitHandlerView> {
    const account = await this.createAccount(
      actor,
      {
        username: dto.username,
        password: dto.password,
        role: 'unit_handler',
        displayName: dto.displayName,
        unitId,
      },
      dto.head ? (created) => this.setUnitHeadTx(actor, unitId, created.id) : undefined,
    );
    return handlerView(await this.accounts.findOneOrFail({ where: { id: account.id } }));
  }

  /** Makes one handler account the unit head (一把手); the previous head stops being head. */
  async setUnitHead(actor: Actor, unitId: string, accountId: string): Promise<UnitView> {
    await this.db.transaction(() => this.setUnitHeadTx(actor, unitId, accountId));
    return this.getUnit(unitId);
  }

  private async setUnitHeadTx(actor: Actor, unitId: string, accountId: string): Promise<void> {
    const unit = await this.db.manager.findOne(UnitEntity, {
      where: { id: unitId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!unit) throw notFound('unit', unitId);
    const account = await this.db.manager.findOne(AccountEntity, { where: { id: accountId } });
    if (!account || account.unitId !== unitId || account.role !== 'unit_handler')
      throw invalid(`account ${accountId} is not a handler of this unit`, {
        accountId: ['not a handler of this unit'],
      });
    await this.db.manager.update(AccountEntity, { unitId, unitHead: true }, { unitHead: false });
    await this.db.manager.update(AccountEntity, { id: accountId }, { unitHead: true });
    await this.db.manager.update(UnitEntity, { id: unitId }, { headName: account.displayName });
    await this.audit.record(actor, {
      action: 'unit.head_set',
      entityType: 'unit',
      entityId: unitId,
      before: { headName: unit.headName },
      after: { headAccountId: accountId, headName: account.displayName },
    });
  }

  async findAccountByUsername(username: string): Promise<AccountView | null> {
    const account = await this.accounts.findOne({ where: { username } });
    return account ? accountView(account) : null;
  }

  // --- issue 5 (handling): unit heads and supervision recipients ---------------------------

  /** True when the account is the head (一把手) of `unitId`. */
  async isUnitHead(accountId: string, unitId: string): Promise<boolean> {
    return (
      (await this.accounts.count({ where: { id: accountId, unitId, unitHead: true, active: true } })) > 0
    );
  }

  /** Active accounts of a role (e.g. the supervision office's `supervisor` accounts). */
  async accountIdsByRole(role: AccountView['role']): Promise<string[]> {
    const rows = await this.accounts.find({ where: { role, active: true }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** Unit names by id (for public views and dashboards). */
  /** Names of participants by id, one statement for any number. */
  async participantNames(ids: string[]): Promise<Map<string, string>> {
    const rows =
      ids.length === 0
        ? []
        : await this.participants.find({
            select: { id: true, name: true },
            where: { id: In([...new Set(ids)]) },
          });
    return new Map(rows.map((p) => [p.id, p.name]));
  }

  async unitNames(ids: string[]): Promise<Map<string, string>> {
    const rows = ids.length === 0 ? [] : await this.units.find({ where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((u) => [u.id, u.name]));
  }
}
