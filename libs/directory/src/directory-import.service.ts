import { Injectable } from '@nestjs/common';
import { type Actor, AuditService, DomainException, Db } from '@liexi/platform';
import { In } from 'typeorm';
import { type ImportError, readParticipants, readUnits } from './directory-import';
import type { ImportFormat, ImportKind } from './directory.dto';
import { ParticipantEntity } from './participant.entity';
import { CsvError, parseCsv, parseXlsx, type Sheet } from './spreadsheet';
import { UnitEntity } from './unit.entity';

export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  /** Data rows read (blank rows ignored). */
  rows: number;
  /** Rows stored (0 on a dry run or when any row has an error). */
  imported: number;
  errors: ImportError[];
}

const MAX_ROWS = 20_000;

/**
 * Imports participants or units from an .xlsx or .csv sheet with Chinese headers. Every row is
 * checked first; any error stores nothing (one transaction), and the report lists each problem
 * by spreadsheet row and column, in Chinese and English.
 */
@Injectable()
export class DirectoryImportService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async import(
    actor: Actor,
    kind: ImportKind,
    input: { format: ImportFormat; data: Buffer; dryRun?: boolean },
  ): Promise<ImportReport> {
    const sheet = await this.read(input.format, input.data);
    if (sheet.length - 1 > MAX_ROWS)
      throw new DomainException('VALIDATION', `at most ${MAX_ROWS} rows per import`, {
        fields: { file: [`more than ${MAX_ROWS} rows`] },
      });
    const dryRun = input.dryRun ?? false;
    return kind === 'participants'
      ? this.importParticipants(actor, sheet, dryRun)
      : this.importUnits(actor, sheet, dryRun);
  }

  /** The format from an explicit choice, else from the file name's extension. */
  formatOf(explicit: ImportFormat | undefined, fileName: string): ImportFormat {
    if (explicit) return explicit;
    const ext = fileName.toLowerCase().split('.').pop();
    if (ext === 'xlsx' || ext === 'csv') return ext;
    throw new DomainException('VALIDATION', 'the file must be .xlsx or .csv', {
      fields: { format: ['give format (xlsx or csv) or a file name ending in .xlsx or .csv'] },
    });
  }

  private async read(format: ImportFormat, data: Buffer): Promise<Sheet> {
    try {
      return format === 'csv' ? parseCsv(data) : await parseXlsx(data);
    } catch (err) {
      if (err instanceof CsvError)
        throw new DomainException(
          'VALIDATION',
          `the csv file cannot be read at line ${err.line}: ${err.en}`,
          {
            fields: { file: [`line ${err.line}: ${err.en}`, err.zh] },
          },
        );
      throw new DomainException('VALIDATION', `the file is not a readable ${format} file`, {
        fields: { file: [`not a readable ${format} file`] },
      });
    }
  }

  private async importParticipants(actor: Actor, sheet: Sheet, dryRun: boolean): Promise<ImportReport> {
    const { rows, errors } = readParticipants(sheet);
    const report = (imported: number): ImportReport => ({
      kind: 'participants',
      dryRun,
      rows: dataRows(sheet),
      imported,
      errors,
    });
    if (errors.length > 0) return this.fail(report(0), dryRun);
    if (dryRun) return report(0);
    await this.db.transaction(async () => {
      for (const r of rows) {
        const p = await this.db.manager.save(
          this.db.manager.create(ParticipantEntity, {
            name: r.name,
            constituency: r.constituency,
            sector: r.sector,
            district: r.district,
            contact: r.contact,
            active: r.active,
          }),
        );
        await this.audit.record(actor, {
          action: 'participant.imported',
          entityType: 'participant',
          entityId: p.id,
          after: { ...p, contact: p.contact ? '(set)' : null, sourceRow: r.row },
        });
      }
    });
    return report(rows.length);
  }

  private async importUnits(actor: Actor, sheet: Sheet, dryRun: boolean): Promise<ImportReport> {
    const { rows, errors } = readUnits(sheet);
    const existing = await this.db.manager.find(UnitEntity, { where: { name: In(rows.map((r) => r.name)) } });
    const taken = new Set(existing.map((u) => u.name));
    for (const r of rows)
      if (taken.has(r.name))
        errors.push({
          row: r.row,
          column: '单位名称',
          message: { zh: `单位「${r.name}」已存在`, en: `a unit named ${r.name} exists` },
        });
    errors.sort((a, b) => a.row - b.row);
    const report = (imported: number): ImportReport => ({
      kind: 'units',
      dryRun,
      rows: dataRows(sheet),
      imported,
      errors,
    });
    if (errors.length > 0) return this.fail(report(0), dryRun);
    if (dryRun) return report(0);
    await this.db.transaction(async () => {
      for (const r of rows) {
        const unit = await this.db.manager.save(
          this.db.manager.create(UnitEntity, { name: r.name, kind: r.kind, headName: r.headName }),
        );
        await this.audit.record(actor, {
          action: 'unit.imported',
          entityType: 'unit',
          entityId: unit.id,
          after: { ...unit, sourceRow: r.row },
        });
      }
    });
    return report(rows.length);
  }

  /** A dry run reports; a real import with errors is refused as VALIDATION, listing every error. */
  private fail(report: ImportReport, dryRun: boolean): ImportReport {
    if (dryRun) return report;
    const fields: Record<string, string[]> = {};
    for (const e of report.errors) {
      const key = `row ${e.row}${e.column ? ` ${e.column}` : ''}`;
      (fields[key] ??= []).push(`${e.message.zh} / ${e.message.en}`);
    }
    throw new DomainException(
      'VALIDATION',
      `${report.errors.length} error(s) in the sheet; nothing was imported`,
      { fields },
    );
  }
}

const dataRows = (sheet: Sheet): number => sheet.slice(1).filter((r) => r.some((c) => c !== '')).length;
