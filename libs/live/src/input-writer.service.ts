import { Inject, Injectable } from '@nestjs/common';
import type { InputSubmitResult, InputSubmittedData } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  AuditService,
  conflict,
  Db,
  EventLogService,
  invalid,
  meetingStream,
  type NewEvent,
} from '@liexi/platform';
import { GroupCommit, type Outcome } from './group-commit';
import { fail, groupBy, liveBatch, ok } from './live-batch';
import type { SubmitInputDto } from './live.dto';

interface Submit {
  actor: Actor;
  dto: SubmitInputDto;
}
interface Author {
  id: string;
  name: string;
  constituency: string;
}
const AUTHOR_TTL_MS = 60_000;

/**
 * `input.submit`, written by group commit: inputs that arrive together are validated, inserted
 * with multi-row statements, given gap-free seqs (one reservation per meeting) and audited in
 * one transaction and one commit; then each tablet gets its own ack. Idempotent by clientKey (a
 * retry, also one in the same batch or on another node, gets the first result); one bad item
 * is answered with its own error and never fails its batch-mates.
 */
@Injectable()
export class InputWriter {
  private readonly submits: GroupCommit<Submit, InputSubmitResult>;
  private readonly authors = new Map<string, { at: number; author: Author }>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // A meeting's inputs go one batch at a time (they queue on its stream's lock anyway).
    this.submits = new GroupCommit(
      liveBatch<Submit, InputSubmitResult>(
        config,
        db,
        (s) => s.dto.meetingId,
        (items) => this.writeSubmits(items),
      ),
    );
  }

  /** `input.submit`: acked after the commit that stores it (or the first commit of its clientKey). */
  submit(actor: Actor, dto: SubmitInputDto): Promise<InputSubmitResult> {
    return this.submits.submit({ actor, dto });
  }

  /** How the batches went (batches, items, the largest, fallbacks to one by one). */
  get figures(): GroupCommit<Submit, InputSubmitResult>['figures'] {
    return this.submits.figures;
  }

  private async writeSubmits(batch: Submit[]): Promise<Outcome<InputSubmitResult>[]> {
    const out = new Array<Outcome<InputSubmitResult>>(batch.length);
    const allowed = await this.meetings.contributorErrors(
      batch.map((b) => ({ meetingId: b.dto.meetingId, participantId: b.actor.participantId })),
    );
    const agenda = await this.agendaOf(batch.filter((b) => b.dto.agendaItemId).map((b) => b.dto.meetingId));
    // The first item of each (meeting, clientKey) is written; later ones in the batch follow it.
    const first = new Map<string, number>();
    const fresh: number[] = [];
    batch.forEach(({ dto }, i) => {
      const refused = allowed[i];
      if (refused) out[i] = fail(refused);
      else if (dto.agendaItemId && !agenda.get(dto.meetingId)?.has(dto.agendaItemId))
        out[i] = fail(
          invalid(`agenda item ${dto.agendaItemId} is not on meeting ${dto.meetingId}`, {
            agendaItemId: ['not an item of this meeting'],
          }),
        );
      else if (!first.has(`${dto.meetingId}|${dto.clientKey}`)) {
        first.set(`${dto.meetingId}|${dto.clientKey}`, i);
        fresh.push(i);
      }
    });

    const rows = await this.insertInputs(fresh.map((i) => batch[i]));
    const inserted = new Map(rows.map((r) => [`${r.meeting_id}|${r.client_key}`, r.id]));
    const written = fresh.filter((i) => inserted.has(key(batch[i])));
    if (written.length > 0) {
      const seqs = await this.announceInputs(batch, written, inserted);
      await this.db.query(
        `UPDATE input SET submitted_seq = v.seq FROM unnest($1::uuid[], $2::bigint[]) AS v(id, seq)
         WHERE input.id = v.id`,
        [written.map((i) => inserted.get(key(batch[i]))), written.map((i) => seqs.get(i))],
      );
      // An anonymous input's audit row names no actor: the author's identity stays in `input` only.
      await this.audit.recordMany(
        written.map((i) => {
          const { actor, dto } = batch[i];
          return {
            actor: dto.anonymous ? null : actor,
            action: 'input.submitted',
            entityType: 'input',
            entityId: inserted.get(key(batch[i])) as string,
            after: {
              meetingId: dto.meetingId,
              kind: dto.kind,
              anonymous: dto.anonymous ?? false,
              seq: seqs.get(i),
            },
          };
        }),
      );
      for (const i of written)
        out[i] = ok({ inputId: inserted.get(key(batch[i])) as string, seq: seqs.get(i) as number });
    }
    await this.replaySubmits(
      batch,
      fresh.filter((i) => !inserted.has(key(batch[i]))),
      out,
    );
    // Later items with the clientKey of an earlier one in this batch get its answer.
    batch.forEach((b, i) => {
      if (out[i]) return;
      const lead = first.get(key(b)) as number;
      const sameAuthor = batch[lead].actor.participantId === b.actor.participantId;
      out[i] = sameAuthor ? out[lead] : fail(conflict('this clientKey was used by someone else'));
    });
    return out;
  }

  private insertInputs(items: Submit[]): Promise<{ id: string; meeting_id: string; client_key: string }[]> {
    if (items.length === 0) return Promise.resolve([]);
    return this.db.query(
      `INSERT INTO input (meeting_id, agenda_item_id, client_key, author_participant_id, kind, text, anonymous)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::boolean[])
       ON CONFLICT (meeting_id, client_key) DO NOTHING
       RETURNING id, meeting_id, client_key`,
      [
        items.map((b) => b.dto.meetingId),
        items.map((b) => b.dto.agendaItemId ?? null),
        items.map((b) => b.dto.clientKey),
        items.map((b) => b.actor.participantId),
        items.map((b) => b.dto.kind),
        items.map((b) => b.dto.text),
        items.map((b) => b.dto.anonymous ?? false),
      ],
    );
  }

  /** One `input.submitted` per written input, one seq reservation per meeting (in meeting order). */
  private async announceInputs(
    batch: Submit[],
    written: number[],
    ids: Map<string, string>,
  ): Promise<Map<number, number>> {
    const named = written.filter((i) => !batch[i].dto.anonymous);
    const authors = await this.authorsOf(named.map((i) => batch[i].actor.participantId as string));
    const seqs = new Map<number, number>();
    const byMeeting = groupBy(written, (i) => batch[i].dto.meetingId);
    for (const meetingId of [...byMeeting.keys()].sort()) {
      const idx = byMeeting.get(meetingId) as number[];
      const news: NewEvent[] = idx.map((i) => {
        const { actor, dto } = batch[i];
        const author = dto.anonymous ? undefined : authors.get(actor.participantId as string);
        const data: InputSubmittedData = {
          inputId: ids.get(key(batch[i])) as string,
          agendaItemId: dto.agendaItemId ?? null,
          kind: dto.kind,
          text: dto.text,
          anonymous: dto.anonymous ?? false,
          author: author
            ? { participantId: author.id, name: author.name, constituency: author.constituency }
            : null,
        };
        return { type: 'input.submitted', data };
      });
      const events = await this.events.appendMany(meetingStream(meetingId), news);
      idx.forEach((i, k) => seqs.set(i, events[k]?.seq));
    }
    return seqs;
  }

  /**
   * Name and constituency of authors, for the push: kept for a minute (a tablet's author
   * submits many times; a renamed participant shows in pushes within a minute, in snapshots at once).
   */
  private async authorsOf(ids: string[]): Promise<Map<string, Author>> {
    const now = Date.now();
    const missing = [...new Set(ids)].filter((id) => {
      const known = this.authors.get(id);
      return !known || now - known.at > AUTHOR_TTL_MS;
    });
    if (missing.length > 0) {
      const found = await this.directory.participantsByIds(missing);
      if (this.authors.size + found.size > 10_000) this.authors.clear();
      for (const [id, p] of found)
        this.authors.set(id, { at: now, author: { id, name: p.name, constituency: p.constituency } });
    }
    const out = new Map<string, Author>();
    for (const id of ids) {
      const known = this.authors.get(id);
      if (known) out.set(id, known.author);
    }
    return out;
  }

  /** Items whose clientKey was stored before (earlier batch, other node): the first result. */
  private async replaySubmits(
    batch: Submit[],
    idx: number[],
    out: Outcome<InputSubmitResult>[],
  ): Promise<void> {
    if (idx.length === 0) return;
    const rows = await this.db.query<{
      id: string;
      meeting_id: string;
      client_key: string;
      author_participant_id: string;
      submitted_seq: string;
    }>(
      `SELECT i.id, i.meeting_id, i.client_key, i.author_participant_id, i.submitted_seq
       FROM input i JOIN unnest($1::uuid[], $2::text[]) AS k(m, c) ON i.meeting_id = k.m AND i.client_key = k.c`,
      [idx.map((i) => batch[i].dto.meetingId), idx.map((i) => batch[i].dto.clientKey)],
    );
    const found = new Map(rows.map((r) => [`${r.meeting_id}|${r.client_key}`, r]));
    for (const i of idx) {
      const b = batch[i];
      const row = found.get(key(b));
      if (!row) out[i] = fail(conflict('this input could not be stored; retry'));
      else if (row.author_participant_id !== b.actor.participantId)
        out[i] = fail(conflict('this clientKey was used by someone else'));
      else out[i] = ok({ inputId: row.id, seq: Number(row.submitted_seq) });
    }
  }

  private async agendaOf(meetingIds: string[]): Promise<Map<string, Set<string>>> {
    const agenda = new Map<string, Set<string>>();
    for (const meetingId of new Set(meetingIds))
      agenda.set(meetingId, new Set((await this.meetings.agenda(meetingId)).map((a) => a.id)));
    return agenda;
  }
}

const key = (b: Submit): string => `${b.dto.meetingId}|${b.dto.clientKey}`;
