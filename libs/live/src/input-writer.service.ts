import { Inject, Injectable } from '@nestjs/common';
import type { InputSubmitResult, InputSubmittedData, SeqResult } from '@liexi/contracts';
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
  forbidden,
  fromDatabaseError,
  invalid,
  meetingStream,
  type NewEvent,
  notFound,
} from '@liexi/platform';
import { GroupCommit, type Outcome } from './group-commit';
import type { CosignInputDto, SubmitInputDto } from './live.dto';

interface Submit {
  actor: Actor;
  dto: SubmitInputDto;
}
interface Cosign {
  actor: Actor;
  dto: CosignInputDto;
}

const ok = <R>(value: R): Outcome<R> => ({ ok: true, value });
const fail = <R>(error: unknown): Outcome<R> => ({ ok: false, error });
/** A database out of reach fails every item again: such a batch is answered at once. */
const itemMayBeAtFault = (err: unknown): boolean => fromDatabaseError(err)?.code !== 'UNAVAILABLE';

/**
 * The live write paths that arrive in bursts — `input.submit` and `input.cosign` — written by
 * group commit: what arrives within a few milliseconds is validated, inserted with multi-row
 * statements, given gap-free seqs (one reservation per meeting) and audited in one
 * transaction and one commit; then each tablet gets its own ack. Idempotent by clientKey (a
 * retry, also one in the same batch or on another node, gets the first result); one bad item
 * is answered with its own error and never fails its batch-mates.
 */
@Injectable()
export class InputWriter {
  private readonly submits: GroupCommit<Submit, InputSubmitResult>;
  private readonly cosigns: GroupCommit<Cosign, SeqResult>;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const batch = {
      windowMs: config.liveBatch.windowMs,
      maxSize: config.liveBatch.maxSize,
      maxInFlight: Math.max(1, Math.floor(config.db.poolSize / 2)),
      retryAlone: itemMayBeAtFault,
    };
    this.submits = new GroupCommit({
      ...batch,
      write: (items) => this.inBatch(() => this.writeSubmits(items)),
    });
    this.cosigns = new GroupCommit({
      ...batch,
      write: (items) => this.inBatch(() => this.writeCosigns(items)),
    });
  }

  /** `input.submit`: acked after the commit that stores it (or the first commit of its clientKey). */
  submit(actor: Actor, dto: SubmitInputDto): Promise<InputSubmitResult> {
    return this.submits.submit({ actor, dto });
  }

  /** `input.cosign` (联名): once per person; the author cannot co-sign their own input. */
  cosign(actor: Actor, dto: CosignInputDto): Promise<SeqResult> {
    return this.cosigns.submit({ actor, dto });
  }

  /** How the batches went (for benchmarks and the health of the live path). */
  figures(): {
    submits: GroupCommit<Submit, InputSubmitResult>['figures'];
    cosigns: GroupCommit<Cosign, SeqResult>['figures'];
  } {
    return { submits: this.submits.figures, cosigns: this.cosigns.figures };
  }

  /** A batch is nobody's unit of work: its own transaction, whoever's event started it. */
  private inBatch<T>(work: () => Promise<T>): Promise<T> {
    return this.db.detached(() => this.db.transaction(work));
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
    const authors = await this.directory.participantsByIds([
      ...new Set(named.map((i) => batch[i].actor.participantId as string)),
    ]);
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

  private async writeCosigns(batch: Cosign[]): Promise<Outcome<SeqResult>[]> {
    const out = new Array<Outcome<SeqResult>>(batch.length);
    // The inputs are locked so co-signs of one input count one after another across batches.
    const inputs = await this.db.query<{
      id: string;
      meeting_id: string;
      author_participant_id: string;
      hidden: boolean;
    }>(
      `SELECT id, meeting_id, author_participant_id, hidden FROM input WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [[...new Set(batch.map((b) => b.dto.inputId))]],
    );
    const input = new Map(inputs.map((r) => [r.id, r]));
    const known = batch.map((b) => input.get(b.dto.inputId));
    const allowed = await this.meetings.contributorErrors(
      batch.flatMap((b, i) => {
        const target = known[i];
        return target ? [{ meetingId: target.meeting_id, participantId: b.actor.participantId }] : [];
      }),
    );
    const mine = await this.db.query<{ input_id: string; participant_id: string; seq: string }>(
      `SELECT input_id, participant_id, seq FROM input_cosign
       WHERE input_id = ANY($1::uuid[]) AND participant_id = ANY($2::uuid[])`,
      [[...input.keys()], [...new Set(batch.map((b) => b.actor.participantId).filter((p) => p !== null))]],
    );
    const signed = new Map(mine.map((r) => [`${r.input_id}|${r.participant_id}`, Number(r.seq)]));
    let checked = 0;
    const fresh: number[] = [];
    const first = new Map<string, number>();
    batch.forEach((b, i) => {
      const target = known[i];
      if (!target) {
        out[i] = fail(notFound('input', b.dto.inputId));
        return;
      }
      const refused = allowed[checked++];
      const pair = `${target.id}|${b.actor.participantId}`;
      if (refused) out[i] = fail(refused);
      else if (signed.has(pair)) out[i] = ok({ seq: signed.get(pair) as number });
      else if (target.author_participant_id === b.actor.participantId)
        out[i] = fail(forbidden('you cannot co-sign your own input'));
      else if (target.hidden)
        out[i] = fail(conflict('this input was withdrawn from the session by the secretariat'));
      else if (!first.has(pair)) {
        first.set(pair, i);
        fresh.push(i);
      }
    });
    const rows =
      fresh.length === 0
        ? []
        : await this.db.query<{ id: string; input_id: string; participant_id: string }>(
            `INSERT INTO input_cosign (meeting_id, input_id, participant_id, client_key, seq)
       SELECT m, i, p, c, 0 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]) AS t(m, i, p, c)
       ON CONFLICT DO NOTHING RETURNING id, input_id, participant_id`,
            [
              fresh.map((i) => (known[i] as { meeting_id: string }).meeting_id),
              fresh.map((i) => batch[i].dto.inputId),
              fresh.map((i) => batch[i].actor.participantId),
              fresh.map((i) => batch[i].dto.clientKey),
            ],
          );
    const inserted = new Map(rows.map((r) => [`${r.input_id}|${r.participant_id}`, r.id]));
    const written = fresh.filter((i) =>
      inserted.has(`${batch[i].dto.inputId}|${batch[i].actor.participantId}`),
    );
    for (const i of fresh)
      if (!written.includes(i)) out[i] = fail(conflict('this clientKey was already used for something else'));
    if (written.length > 0) await this.announceCosigns(batch, known, written, inserted, out);
    batch.forEach((b, i) => {
      if (out[i]) return;
      const lead = first.get(`${b.dto.inputId}|${b.actor.participantId}`) as number;
      out[i] = out[lead];
    });
    return out;
  }

  private async announceCosigns(
    batch: Cosign[],
    known: ({ id: string; meeting_id: string } | undefined)[],
    written: number[],
    ids: Map<string, string>,
    out: Outcome<SeqResult>[],
  ): Promise<void> {
    const counts = await this.db.query<{ input_id: string; n: string }>(
      'SELECT input_id, count(*) AS n FROM input_cosign WHERE input_id = ANY($1::uuid[]) GROUP BY input_id',
      [[...new Set(written.map((i) => batch[i].dto.inputId))]],
    );
    const total = new Map(counts.map((r) => [r.input_id, Number(r.n)]));
    const newPerInput = new Map<string, number>();
    for (const i of written) {
      const inputId = batch[i].dto.inputId;
      newPerInput.set(inputId, (newPerInput.get(inputId) ?? 0) + 1);
    }
    // Counts in event order: the first new co-sign of an input shows the count before the others.
    const running = new Map([...newPerInput].map(([inputId, n]) => [inputId, (total.get(inputId) ?? n) - n]));
    const seqOf = new Map<number, number>();
    const countOf = new Map<number, number>();
    const byMeeting = groupBy(written, (i) => (known[i] as { meeting_id: string }).meeting_id);
    for (const meetingId of [...byMeeting.keys()].sort()) {
      const idx = byMeeting.get(meetingId) as number[];
      const news: NewEvent[] = idx.map((i) => {
        const inputId = batch[i].dto.inputId;
        const cosignCount = (running.get(inputId) ?? 0) + 1;
        running.set(inputId, cosignCount);
        countOf.set(i, cosignCount);
        return { type: 'input.cosigned', data: { inputId, cosignCount } };
      });
      const events = await this.events.appendMany(meetingStream(meetingId), news);
      idx.forEach((i, k) => seqOf.set(i, events[k]?.seq));
    }
    const cosignId = (i: number): string =>
      ids.get(`${batch[i].dto.inputId}|${batch[i].actor.participantId}`) as string;
    await this.db.query(
      `UPDATE input_cosign SET seq = v.seq FROM unnest($1::uuid[], $2::bigint[]) AS v(id, seq) WHERE input_cosign.id = v.id`,
      [written.map(cosignId), written.map((i) => seqOf.get(i))],
    );
    await this.audit.recordMany(
      written.map((i) => ({
        actor: batch[i].actor,
        action: 'input.cosigned',
        entityType: 'input',
        entityId: batch[i].dto.inputId,
        after: { cosignCount: countOf.get(i), seq: seqOf.get(i) },
      })),
    );
    for (const i of written) out[i] = ok({ seq: seqOf.get(i) as number });
  }
}

const key = (b: Submit): string => `${b.dto.meetingId}|${b.dto.clientKey}`;

function groupBy<T>(items: T[], by: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = by(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
