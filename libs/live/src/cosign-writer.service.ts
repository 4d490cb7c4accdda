import { Inject, Injectable } from '@nestjs/common';
import type { SeqResult } from '@liexi/contracts';
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
  meetingStream,
  type NewEvent,
  notFound,
} from '@liexi/platform';
import { GroupCommit, type Outcome } from './group-commit';
import { fail, groupBy, liveBatch, ok } from './live-batch';
import type { CosignInputDto } from './live.dto';

interface Cosign {
  actor: Actor;
  dto: CosignInputDto;
}

/**
 * `input.cosign` (联名) by group commit: once per person, never one's own input, not on a
 * withdrawn one. The co-signs of one input that arrive together are counted one after another
 * (the input row is locked, one batch per input at a time) and each gets its own
 * `input.cosigned` event with the count after it; a retry — same clientKey or any second try
 * by the same person — gets the first seq.
 */
@Injectable()
export class CosignWriter {
  private readonly cosigns: GroupCommit<Cosign, SeqResult>;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly meetings: MeetingsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cosigns = new GroupCommit(
      liveBatch<Cosign, SeqResult>(
        config,
        db,
        (c) => c.dto.inputId,
        (items) => this.write(items),
      ),
    );
  }

  cosign(actor: Actor, dto: CosignInputDto): Promise<SeqResult> {
    return this.cosigns.submit({ actor, dto });
  }

  get figures(): GroupCommit<Cosign, SeqResult>['figures'] {
    return this.cosigns.figures;
  }

  private async write(batch: Cosign[]): Promise<Outcome<SeqResult>[]> {
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
