import { Injectable } from '@nestjs/common';
import type { TaxonomyKind } from '@liexi/contracts';
import {
  type Actor,
  AuditService,
  conflict,
  invalid,
  Db,
  keysetPage,
  mapPage,
  type Page,
} from '@liexi/platform';
import { AgendaTaxonomyEntity } from './agenda-taxonomy.entity';
import { toTaxonomyTermView } from './meetings.mapping';
import type { TaxonomyTermView } from './meetings.views';
import type { CreateTaxonomyTermDto, TaxonomyQueryDto } from './planning.dto';

/** The configurable categories and topics of agenda items. */
@Injectable()
export class AgendaTaxonomyService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async list(kind?: TaxonomyKind): Promise<TaxonomyTermView[]> {
    const rows = await this.db.manager.find(AgendaTaxonomyEntity, {
      where: kind ? { kind, active: true } : { active: true },
      order: { kind: 'ASC', createdAt: 'ASC', code: 'ASC' },
    });
    return rows.map(toTaxonomyTermView);
  }

  /** Active terms by code, a page at a time. */
  async page(query: TaxonomyQueryDto): Promise<Page<TaxonomyTermView>> {
    const qb = this.db.manager
      .getRepository(AgendaTaxonomyEntity)
      .createQueryBuilder('t')
      .where('t.active = true');
    if (query.kind) qb.andWhere('t.kind = :kind', { kind: query.kind });
    const page = await keysetPage(qb, { column: 't.code', type: 'text', id: 't.id' }, query);
    return mapPage(page, toTaxonomyTermView);
  }

  async create(actor: Actor, dto: CreateTaxonomyTermDto): Promise<TaxonomyTermView> {
    return this.db.transaction(async () => {
      const existing = await this.db.manager.findOne(AgendaTaxonomyEntity, {
        where: { kind: dto.kind, code: dto.code },
      });
      if (existing) throw conflict(`${dto.kind} ${dto.code} exists`);
      const term = toTaxonomyTermView(
        await this.db.manager.save(this.db.manager.create(AgendaTaxonomyEntity, { ...dto, active: true })),
      );
      await this.audit.record(actor, {
        action: 'agenda_taxonomy.created',
        entityType: 'agenda_taxonomy',
        entityId: term.id,
        after: term,
      });
      return term;
    });
  }

  /** Throws VALIDATION naming `field` when a code is not an active term of that kind. */
  async requireTerms(kind: TaxonomyKind, codes: string[], field: string): Promise<void> {
    if (codes.length === 0) return;
    const rows = await this.db.manager.find(AgendaTaxonomyEntity, {
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
    const rows = await this.db.manager.find(AgendaTaxonomyEntity);
    return new Map(rows.map((r) => [`${r.kind}:${r.code}`, { zh: r.labelZh, en: r.labelEn }]));
  }
}
