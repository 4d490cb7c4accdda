// The entities stay inside the directory context: callers get the views below.
export * from './account-access.service';
export * from './directory.dto';
export * from './directory.module';
export * from './directory.service';
export * from './directory-lookups.service';
export {
  type AccountView,
  ImportReportView,
  LoginResultView,
  type ParticipantRecord,
  ParticipantView,
  UnitHandlerView,
  UnitView,
} from './directory.views';
export * from './directory-import';
export * from './directory-import.service';
export * from './spreadsheet';
