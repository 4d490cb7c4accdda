import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type Actor,
  AuditService,
  conflict,
  DomainException,
  hashPassword,
  invalid,
  notFound,
  TokenService,
  TransactionService,
  verifyPassword,
} from '@liexi/platform';
import { In, Repository } from 'typeorm';
import { AccountEntity } from './account.entity';
import type { CreateAccountDto, CreateParticipantDto, CreateUnitDto } from './directory.dto';
import { ParticipantEntity } from './participant.entity';
import { UnitEntity } from './unit.entity';

export interface ParticipantView {
  id: string;
  name: string;
  constituency: string;
  sector: string | null;
  district: string | null;
  active: boolean;
  /** Present for the secretariat only. */
  contact?: string | null;
}

/** A precomputed hash so unknown usernames cost as much as wrong passwords. */
const DUMMY_HASH = 'scrypt$16384$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

@Injectable()
export class DirectoryService {
  constructor(
    @InjectRepository(UnitEntity) private readonly units: Repository<UnitEntity>,
    @InjectRepository(ParticipantEntity) private readonly participants: Repository<ParticipantEntity>,
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly tokens: TokenService,
  ) {}

  async login(
    username: string,
    password: string,
  ): Promise<{ accessToken: string; expiresAt: string; actor: Actor }> {
    const account = await this.accounts.findOne({ where: { username, active: true } });
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) throw new DomainException('UNAUTHORIZED', 'wrong username or password');
    const actor = this.actorOf(account);
    return { ...this.tokens.sign(actor), actor };
  }

  actorOf(account: AccountEntity): Actor {
    return {
      accountId: account.id,
      username: account.username,
      role: account.role,
      unitId: account.unitId,
      participantId: account.participantId,
    };
  }

  async createUnit(actor: Actor | null, dto: CreateUnitDto): Promise<UnitEntity> {
    return this.tx.run(async (tx) => {
      const existing = await tx.manager.findOne(UnitEntity, { where: { name: dto.name } });
      if (existing) throw conflict(`a unit named ${dto.name} exists`);
      const unit = await tx.manager.save(
        tx.manager.create(UnitEntity, {
          name: dto.name,
          kind: dto.kind ?? 'department',
          headName: dto.headName ?? null,
        }),
      );
      await this.audit.record(tx, actor, {
        action: 'unit.created',
        entityType: 'unit',
        entityId: unit.id,
        after: unit,
      });
      return unit;
    });
  }

  listUnits(): Promise<UnitEntity[]> {
    return this.units.find({ order: { name: 'ASC' } });
  }

  async getUnit(id: string): Promise<UnitEntity> {
    const unit = await this.units.findOne({ where: { id } });
    if (!unit) throw notFound('unit', id);
    return unit;
  }

  /** Every id must name a unit; throws VALIDATION naming the field otherwise. */
  async requireUnits(ids: string[], field: string): Promise<UnitEntity[]> {
    if (ids.length === 0) return [];
    const found = await this.units.find({ where: { id: In(ids) } });
    const missing = ids.filter((id) => !found.some((u) => u.id === id));
    if (missing.length > 0)
      throw invalid(`unknown unit ${missing.join(', ')}`, { [field]: ['unknown unit'] });
    return found;
  }

  async createParticipant(actor: Actor | null, dto: CreateParticipantDto): Promise<ParticipantEntity> {
    return this.tx.run(async (tx) => {
      const p = await tx.manager.save(
        tx.manager.create(ParticipantEntity, {
          name: dto.name,
          constituency: dto.constituency,
          sector: dto.sector ?? null,
          district: dto.district ?? null,
          contact: dto.contact ?? null,
          active: dto.active ?? true,
        }),
      );
      // The contact is private: the audit row records that it was set, not its value.
      await this.audit.record(tx, actor, {
        action: 'participant.created',
        entityType: 'participant',
        entityId: p.id,
        after: { ...p, contact: p.contact ? '(set)' : null },
      });
      return p;
    });
  }

  async listParticipants(actor: Actor): Promise<ParticipantView[]> {
    const rows = await this.participants.find({ order: { name: 'ASC' } });
    return rows.map((p) => this.participantView(p, actor));
  }

  async getParticipant(id: string): Promise<ParticipantEntity> {
    const p = await this.participants.findOne({ where: { id } });
    if (!p) throw notFound('participant', id);
    return p;
  }

  async participantsByIds(ids: string[]): Promise<Map<string, ParticipantEntity>> {
    if (ids.length === 0) return new Map();
    const rows = await this.participants.find({ where: { id: In(ids) } });
    return new Map(rows.map((p) => [p.id, p]));
  }

  participantView(p: ParticipantEntity, actor: Actor): ParticipantView {
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

  async createAccount(actor: Actor | null, dto: CreateAccountDto): Promise<AccountEntity> {
    if (dto.role === 'unit_handler' && !dto.unitId)
      throw invalid('a unit handler needs a unit', { unitId: ['required for unit_handler'] });
    if (dto.role === 'attendee' && !dto.participantId) {
      throw invalid('an attendee account needs a participant', { participantId: ['required for attendee'] });
    }
    if (dto.unitId) await this.getUnit(dto.unitId);
    if (dto.participantId) await this.getParticipant(dto.participantId);
    const passwordHash = await hashPassword(dto.password);
    return this.tx.run(async (tx) => {
      const existing = await tx.manager.findOne(AccountEntity, { where: { username: dto.username } });
      if (existing) throw conflict(`username ${dto.username} is taken`);
      const account = await tx.manager.save(
        tx.manager.create(AccountEntity, {
          username: dto.username,
          passwordHash,
          role: dto.role,
          displayName: dto.displayName,
          unitId: dto.unitId ?? null,
          participantId: dto.participantId ?? null,
        }),
      );
      await this.audit.record(tx, actor, {
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
      return account;
    });
  }

  findAccountByUsername(username: string): Promise<AccountEntity | null> {
    return this.accounts.findOne({ where: { username } });
  }

  // --- issue 5 (handling): unit heads and supervision recipients ---------------------------

  /** True when the account is the head (一把手) of `unitId`. */
  async isUnitHead(accountId: string, unitId: string): Promise<boolean> {
    return (
      (await this.accounts.count({ where: { id: accountId, unitId, unitHead: true, active: true } })) > 0
    );
  }

  /** Active accounts of a role (e.g. the supervision office's `supervisor` accounts). */
  async accountIdsByRole(role: AccountEntity['role']): Promise<string[]> {
    const rows = await this.accounts.find({ where: { role, active: true }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** Makes an account the head of its unit (or not), audited. */
  async setUnitHead(actor: Actor | null, accountId: string, unitHead: boolean): Promise<void> {
    await this.tx.run(async (tx) => {
      const account = await tx.manager.findOne(AccountEntity, { where: { id: accountId } });
      if (!account) throw notFound('account', accountId);
      if (!account.unitId) throw invalid('only an account of a unit can be its head');
      await tx.manager.update(AccountEntity, { id: accountId }, { unitHead });
      await this.audit.record(tx, actor, {
        action: 'account.unit_head',
        entityType: 'account',
        entityId: accountId,
        before: { unitHead: account.unitHead },
        after: { unitHead },
      });
    });
  }

  /** Unit names by id (for public views and dashboards). */
  async unitNames(ids: string[]): Promise<Map<string, string>> {
    const rows = ids.length === 0 ? [] : await this.units.find({ where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((u) => [u.id, u.name]));
  }
}
