import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppraisalRuleDto, AppraisalRuleService, type AppraisalRuleView } from '@liexi/handling';
import { AppraisalQueryDto } from '@liexi/insights';
import { type AppraisalResultView, AppraisalResultsService } from '@liexi/live';
import { type Actor, CurrentActor, type Page, pageSize, Roles } from '@liexi/platform';
import { AppraisalResultDto, AppraisalResultsPageDto, AppraisalRuleViewDto } from './insights-responses.dto';

type WithItem = AppraisalResultView & { rectificationTaskId: string | null };

@ApiTags('appraisals')
@ApiBearerAuth()
@Controller()
export class AppraisalsController {
  constructor(
    private readonly results: AppraisalResultsService,
    private readonly rule: AppraisalRuleService,
  ) {}

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: '评议结果: satisfaction polls on units, per unit, per meeting, over time (counts only)',
    description: 'Roles: secretariat, leader, supervisor. Newest first, paginated.',
    operationId: 'appraisals.list',
  })
  @ApiOkResponse({ type: AppraisalResultsPageDto })
  @Get('appraisal-results')
  async list(@Query() q: AppraisalQueryDto): Promise<Page<WithItem>> {
    const page = await this.results.list(
      { unitId: q.unitId, meetingId: q.meetingId, from: q.from, to: q.to },
      pageSize(q),
      q.cursor,
    );
    const items: WithItem[] = [];
    for (const r of page.items) items.push({ ...r, rectificationTaskId: await this.rule.itemOf(r.id) });
    return { items, nextCursor: page.nextCursor };
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: 'One appraisal result',
    description: 'Roles: secretariat, leader, supervisor.',
    operationId: 'appraisals.get',
  })
  @ApiOkResponse({ type: AppraisalResultDto })
  @Get('appraisal-results/:id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<WithItem> {
    return { ...(await this.results.get(id)), rectificationTaskId: await this.rule.itemOf(id) };
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: 'The rule that turns an unsatisfied appraisal into a rectification item',
    description: 'Roles: secretariat, leader, supervisor.',
    operationId: 'appraisals.getRule',
  })
  @ApiOkResponse({ type: AppraisalRuleViewDto })
  @Get('appraisal-rule')
  getRule(): Promise<AppraisalRuleView> {
    return this.rule.rule();
  }

  @Roles('secretariat')
  @ApiOperation({
    summary: 'Set the appraisal rule (audited); applies to results recorded from now on',
    description: 'Role: secretariat.',
    operationId: 'appraisals.setRule',
  })
  @ApiOkResponse({ type: AppraisalRuleViewDto })
  @Put('appraisal-rule')
  setRule(@CurrentActor() actor: Actor, @Body() dto: AppraisalRuleDto): Promise<AppraisalRuleView> {
    return this.rule.setRule(actor, dto);
  }
}
