import { Injectable } from '@nestjs/common';
import {
  type Actor,
  AuditService,
  invalid,
  keysetPage,
  mapPage,
  notFound,
  Db,
  type Page,
  type PageQueryDto,
} from '@liexi/platform';
import { AgendaTaxonomyService } from './agenda-taxonomy.service';
import { InvitationPolicyEntity } from './invitation-policy.entity';
import { toInvitationPolicyView } from './meetings.mapping';
import type { InvitationPolicyView, PolicyQuota } from './meetings.views';
import type { CreateInvitationPolicyDto, UpdateInvitationPolicyDto } from './planning.dto';

/** 邀请规则: which constituencies, how many of each, and whom to prefer, per category (and topic). */
@Injectable()
export class InvitationPolicyService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly taxonomy: AgendaTaxonomyService,
  ) {}

  /** The policies in the order they were made, a page at a time. */
  async list(query: PageQueryDto): Promise<Page<InvitationPolicyView>> {
    const qb = this.db.manager.getRepository(InvitationPolicyEntity).createQueryBuilder('p');
    const page = await keysetPage(qb, { column: 'p.created_at', type: 'timestamptz', id: 'p.id' }, query);
    return mapPage(page, toInvitationPolicyView);
  }

  async get(id: string): Promise<InvitationPolicyView> {
    const p = await this.db.manager.findOne(InvitationPolicyEntity, { where: { id } });
    if (!p) throw notFound('invitation policy', id);
    return toInvitationPolicyView(p);
  }

  async create(actor: Actor, dto: CreateInvitationPolicyDto): Promise<InvitationPolicyView> {
    const quotas = checkQuotas(dto.quotas);
    return this.db.transaction(async () => {
      await this.taxonomy.requireTerms('category', [dto.category], 'category');
      if (dto.topic) await this.taxonomy.requireTerms('topic', [dto.topic], 'topic');
      const policy = toInvitationPolicyView(
        await this.db.manager.save(
          this.db.manager.create(InvitationPolicyEntity, {
            name: dto.name,
            category: dto.category,
            topic: dto.topic ?? null,
            quotas,
            preferredSectors: dto.preferredSectors ?? [],
            preferredDistricts: dto.preferredDistricts ?? [],
            active: true,
          }),
        ),
      );
      await this.audit.record(actor, {
        action: 'invitation_policy.created',
        entityType: 'invitation_policy',
        entityId: policy.id,
        after: policy,
      });
      return policy;
    });
  }

  async update(actor: Actor, id: string, dto: UpdateInvitationPolicyDto): Promise<InvitationPolicyView> {
    const quotas = dto.quotas ? checkQuotas(dto.quotas) : undefined;
    return this.db.transaction(async () => {
      const policy = await this.db.manager.findOne(InvitationPolicyEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!policy) throw notFound('invitation policy', id);
      const before = toInvitationPolicyView(policy);
      Object.assign(policy, {
        name: dto.name ?? policy.name,
        quotas: quotas ?? policy.quotas,
        preferredSectors: dto.preferredSectors ?? policy.preferredSectors,
        preferredDistricts: dto.preferredDistricts ?? policy.preferredDistricts,
        active: dto.active ?? policy.active,
      });
      const saved = toInvitationPolicyView(await this.db.manager.save(policy));
      await this.audit.record(actor, {
        action: 'invitation_policy.updated',
        entityType: 'invitation_policy',
        entityId: id,
        before,
        after: saved,
      });
      return saved;
    });
  }
}

function checkQuotas(quotas: PolicyQuota[]): PolicyQuota[] {
  const seen = new Set<string>();
  for (const [i, q] of quotas.entries()) {
    if (seen.has(q.constituency))
      throw invalid(`constituency ${q.constituency} appears twice`, {
        [`quotas.${i}.constituency`]: ['appears twice'],
      });
    seen.add(q.constituency);
  }
  return quotas.map((q) => ({ constituency: q.constituency, count: q.count }));
}
