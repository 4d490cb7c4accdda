import { Injectable } from '@nestjs/common';
import type { TaxonomyKind } from '@liexi/contracts';
import { type Actor, AuditService, conflict, invalid, TransactionService, type Tx } from '@liexi/platform';
import { AgendaTaxonomyEntity } from './agenda-taxonomy.entity';
import type { CreateTaxonomyTermDto } from './planning.dto';

/** The configurable categories and topics of agenda items. */
@Injectable()
export class AgendaTaxonomyService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  list(kind?: TaxonomyKind): Promise<AgendaTaxonomyEntity[]> {
    return this.tx.manager.find(AgendaTaxonomyEntity, {
      where: kind ? { kind, active: true } : { active: true },
      order: { kind: 'ASC', createdAt: 'ASC', code: 'ASC' },
    });
  }

  async create(actor: Actor, dto: CreateTaxonomyTermDto): Promise<AgendaTaxonomyEntity> {
    return this.tx.run(async (tx) => {
      const existing = await tx.manager.findOne(AgendaTaxonomyEntity, {
        where: { kind: dto.kind, code: dto.code },
      });
      if (existing) throw conflict(`${dto.kind} ${dto.code} exists`);
      const term = await tx.manager.save(tx.manager.create(AgendaTaxonomyEntity, { ...dto, active: true }));
      await this.audit.record(tx, actor, {
        action: 'agenda_taxonomy.created',
        entityType: 'agenda_taxonomy',
        entityId: term.id,
        after: term,
      });
      return term;
    });
  }

  /** Throws VALIDATION naming `field` when a code is not an active term of that kind. */
  async requireTerms(kind: TaxonomyKind, codes: string[], field: string, tx?: Tx): Promise<void> {
    if (codes.length === 0) return;
    const rows = await (tx?.manager ?? this.tx.manager).find(AgendaTaxonomyEntity, {
      where: { kind, active: true },
    });
    const known = new Set(rows.map((r) => r.code));
    const unknown = [...new Set(codes)].filter((c) => !known.has(c));
    if (unknown.length > 0)
      throw invalid(`unknown ${kind} ${unknown.join(', ')}`, {
        [field]: [`unknown ${kind}: ${unknown.join(', ')} (see GET /api/agenda-taxonomy)`],
      });
  }

  async labels(): Promise<Map<string, { zh: string; en: string }>> {
    const rows = await this.tx.manager.find(AgendaTaxonomyEntity);
    return new Map(rows.map((r) => [`${r.kind}:${r.code}`, { zh: r.labelZh, en: r.labelEn }]));
  }
}
