import type { Schema } from '@liexi/client';

/*
 * The REST shapes the screens read: the schemas of the OpenAPI document, as generated into the
 * typed client (libs/client, `npm run client:generate`). Nothing here is written by hand except
 * names; the screens import only from here.
 */

export type Actor = Schema<'ActorView'>;
/** A signed-in account (login) or an attendee's tablet session (code check-in). */
export type Session = Schema<'LoginResultView'>;

/** Every list answers `{items, nextCursor}` (libs/platform/src/paging/page.ts). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type MeetingSummary = Schema<'MeetingSummaryView'>;
export type AgendaItem = Schema<'AgendaItemView'>;
export type Meeting = Schema<'MeetingView'>;
export type Reason = Schema<'BilingualText'>;
export type Invitation = Schema<'InvitationView'>;
export type GenerationResult = Schema<'GenerationResult'>;
export type CheckInCode = Schema<'CheckInCode'>;
export type CodeCheckIn = Schema<'CodeCheckInResult'>;
export type TaxonomyTerm = Schema<'TaxonomyTermView'>;
export type InvitationPolicy = Schema<'InvitationPolicyView'>;
export type Unit = Schema<'UnitView'>;
export type Participant = Schema<'ParticipantView'>;
export type TaskItem = Schema<'TaskItemView'>;
export type NewTaskItem = Schema<'CreateTaskItemDto'>;
export type SupervisionDashboard = Schema<'SupervisionDashboard'>;
export type LedgerRow = Schema<'LedgerRowView'>;
export type AttendanceFigures = Schema<'AttendanceFiguresView'>;

// The insights API (issue 10): figures, drill-down, rankings, an item's history.
export type FiguresOverview = Schema<'FiguresOverviewDto'>;
export type Figure = Schema<'FigureDto'>;
export type FigurePart = Schema<'FigurePartDto'>;
export type Bilingual = Schema<'BilingualDto'>;
export type Ranking = Schema<'RankingDto'>;
export type RankingRow = Schema<'RankingRowDto'>;
export type RankingCriterion = Schema<'RankingCriterionDto'>;
export type LateUnit = Schema<'LateUnitDto'>;
export type HistoryEntry = Schema<'HistoryEntryDto'>;
/** The filters every insights route takes (`GET /api/figures` and the others). */
export type FigureFilter = NonNullable<
  import('@liexi/client').operations['figures.overview']['parameters']['query']
>;
