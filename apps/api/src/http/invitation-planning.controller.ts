import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AgendaTaxonomyService,
  type CheckInCode,
  CheckInCodeService,
  CodeCheckInDto,
  type CodeCheckInResult,
  CreateInvitationPolicyDto,
  CreateTaxonomyTermDto,
  type GenerationResult,
  InvitationPlannerService,
  InvitationPolicyService,
  type InvitationPolicyView,
  type TaxonomyTermView,
  UpdateInvitationPolicyDto,
} from '@liexi/meetings';
import { type Actor, CurrentActor, Public, Roles, Throttled } from '@liexi/platform';

/** Planning by agenda category: the taxonomy, invitation policies, generation and check-in codes. */
@ApiTags('invitation planning')
@ApiBearerAuth()
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
  terms(): Promise<TaxonomyTermView[]> {
    return this.taxonomy.list();
  }

  @Roles('secretariat')
  @Post('agenda-taxonomy')
  addTerm(@CurrentActor() actor: Actor, @Body() dto: CreateTaxonomyTermDto): Promise<TaxonomyTermView> {
    return this.taxonomy.create(actor, dto);
  }

  @Roles('secretariat')
  @Get('invitation-policies')
  listPolicies(): Promise<InvitationPolicyView[]> {
    return this.policies.list();
  }

  @Roles('secretariat')
  @Post('invitation-policies')
  createPolicy(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateInvitationPolicyDto,
  ): Promise<InvitationPolicyView> {
    return this.policies.create(actor, dto);
  }

  @Roles('secretariat')
  @Get('invitation-policies/:id')
  policy(@Param('id', ParseUUIDPipe) id: string): Promise<InvitationPolicyView> {
    return this.policies.get(id);
  }

  @Roles('secretariat')
  @Patch('invitation-policies/:id')
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
  generate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<GenerationResult> {
    return this.planner.generate(actor, id);
  }

  @Roles('secretariat')
  @Post('invitations/:id/check-in-code')
  issueCode(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CheckInCode> {
    return this.codes.issue(actor, id);
  }

  /** The tablet scans the printed QR payload: checks in and receives the attendee's session token. */
  @Public()
  @Throttled('check-in')
  @Post('check-in')
  @HttpCode(200)
  checkInWithCode(@Body() dto: CodeCheckInDto): Promise<CodeCheckInResult> {
    return this.codes.redeem(dto.payload);
  }
}
