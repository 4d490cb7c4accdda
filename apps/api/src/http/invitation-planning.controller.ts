import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AgendaTaxonomyService,
  CheckInCode,
  CheckInCodeService,
  CodeCheckInDto,
  CodeCheckInResult,
  CreateInvitationPolicyDto,
  CreateTaxonomyTermDto,
  GenerationResult,
  InvitationPlannerService,
  InvitationPolicyService,
  InvitationPolicyView,
  TaxonomyQueryDto,
  TaxonomyTermView,
  UpdateInvitationPolicyDto,
} from '@liexi/meetings';
import {
  type Actor,
  ApiErrors,
  ApiPageResponse,
  CurrentActor,
  type Page,
  PageQueryDto,
  Public,
  Roles,
  Throttled,
} from '@liexi/platform';

/** Planning by agenda category: the taxonomy, invitation policies, generation and check-in codes. */
@ApiTags('invitation planning')
@Controller()
export class InvitationPlanningController {
  constructor(
    private readonly taxonomy: AgendaTaxonomyService,
    private readonly policies: InvitationPolicyService,
    private readonly planner: InvitationPlannerService,
    private readonly codes: CheckInCodeService,
  ) {}

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @Get('agenda-taxonomy')
  @ApiOperation({
    operationId: 'taxonomy.list',
    summary: 'The active categories (事项类别) and topics (领域) of agenda items',
  })
  @ApiPageResponse(TaxonomyTermView)
  terms(@Query() query: TaxonomyQueryDto): Promise<Page<TaxonomyTermView>> {
    return this.taxonomy.page(query);
  }

  @Roles('secretariat')
  @Post('agenda-taxonomy')
  @ApiOperation({ operationId: 'taxonomy.create', summary: 'Add a category or topic with zh/en labels' })
  @ApiCreatedResponse({ type: TaxonomyTermView })
  @ApiErrors('CONFLICT')
  addTerm(@CurrentActor() actor: Actor, @Body() dto: CreateTaxonomyTermDto): Promise<TaxonomyTermView> {
    return this.taxonomy.create(actor, dto);
  }

  @Roles('secretariat')
  @Get('invitation-policies')
  @ApiOperation({ operationId: 'policies.list', summary: 'The invitation policies (邀请规则), oldest first' })
  @ApiPageResponse(InvitationPolicyView)
  listPolicies(@Query() query: PageQueryDto): Promise<Page<InvitationPolicyView>> {
    return this.policies.list(query);
  }

  @Roles('secretariat')
  @Post('invitation-policies')
  @ApiOperation({
    operationId: 'policies.create',
    summary:
      'Add a policy: for a category (and topic), quotas per constituency and preferred sectors/districts',
  })
  @ApiCreatedResponse({ type: InvitationPolicyView })
  createPolicy(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateInvitationPolicyDto,
  ): Promise<InvitationPolicyView> {
    return this.policies.create(actor, dto);
  }

  @Roles('secretariat')
  @Get('invitation-policies/:id')
  @ApiOperation({ operationId: 'policies.get', summary: 'An invitation policy' })
  @ApiOkResponse({ type: InvitationPolicyView })
  policy(@Param('id', ParseUUIDPipe) id: string): Promise<InvitationPolicyView> {
    return this.policies.get(id);
  }

  @Roles('secretariat')
  @Patch('invitation-policies/:id')
  @ApiOperation({
    operationId: 'policies.update',
    summary: 'Edit a policy; `active: false` stops it applying',
  })
  @ApiOkResponse({ type: InvitationPolicyView })
  updatePolicy(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateInvitationPolicyDto,
  ): Promise<InvitationPolicyView> {
    return this.policies.update(actor, id, dto);
  }

  @Roles('secretariat')
  @Post('meetings/:id/invitations/generate')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'invitations.generate',
    summary:
      'Invite by the policies that match the agenda (seats rotate; run again to fill only what is missing)',
    description:
      'Draft or scheduled meetings. Seats already held count first; candidates are ranked by preferred sector and district, then by their last seat (never-invited first). Anyone booked for an overlapping meeting is skipped. The answer lists who was invited and why, and the seats no one could fill.',
  })
  @ApiOkResponse({ type: GenerationResult })
  @ApiErrors('INVALID_TRANSITION', 'CONFLICT')
  generate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<GenerationResult> {
    return this.planner.generate(actor, id);
  }

  @Roles('secretariat')
  @Post('invitations/:id/check-in-code')
  @ApiOperation({
    operationId: 'invitations.issueCheckInCode',
    summary: 'Issue a one-time check-in code (QR) for the invitation; a new one replaces the old',
  })
  @ApiCreatedResponse({ type: CheckInCode })
  @ApiErrors('INVALID_TRANSITION')
  issueCode(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CheckInCode> {
    return this.codes.issue(actor, id);
  }

  @Public()
  @Throttled('check-in')
  @Post('check-in')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'invitations.checkInWithCode',
    summary: 'The tablet scans the printed QR payload: checks in and receives the attendee’s session token',
  })
  @ApiOkResponse({ type: CodeCheckInResult })
  @ApiErrors('UNAUTHORIZED', 'INVALID_TRANSITION', 'CONFLICT')
  checkInWithCode(@Body() dto: CodeCheckInDto): Promise<CodeCheckInResult> {
    return this.codes.redeem(dto.payload);
  }
}
