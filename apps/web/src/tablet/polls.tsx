import type { PollView } from '@liexi/contracts';
import { useLang } from '../i18n';
import { label } from '../labels';

export function choiceLabel(lang: 'zh' | 'en', poll: PollView, choice: string): string {
  return poll.kind === 'satisfaction' ? label(lang, 'rating', choice) : choice;
}

/** The live tally of a poll: votes per choice and the turnout. */
export function Tally({ poll }: { poll: PollView }) {
  const { lang, t } = useLang();
  const max = Math.max(1, ...Object.values(poll.counts));
  return (
    <div className="tally" data-testid={`tally-${poll.pollId}`}>
      <ul>
        {poll.choices.map((c) => (
          <li key={c}>
            <span className="tally-label">{choiceLabel(lang, poll, c)}</span>
            <span
              className="tally-bar"
              style={{ width: `${(100 * (poll.counts[c] ?? 0)) / max}%` }}
              aria-hidden="true"
            />
            <span className="tally-count">{poll.counts[c] ?? 0}</span>
          </li>
        ))}
      </ul>
      <p className="turnout">
        {t('已投', 'Voted')} <strong data-testid="turnout">{`${poll.voted}/${poll.entitled}`}</strong>
        {poll.state === 'closed' ? ` · ${t('已结束', 'closed')}` : ''}
      </p>
    </div>
  );
}

/** Polls as an attendee sees them: vote once, then the tally. */
export function PollCards(props: {
  polls: PollView[];
  votes: Record<string, string>;
  queued: Set<string>;
  disabled: boolean;
  vote: (poll: PollView, choice: string) => void;
}) {
  const { lang, t } = useLang();
  if (props.polls.length === 0) return null;
  return (
    <section className="card" aria-labelledby="polls-title">
      <h2 id="polls-title">{t('表决', 'Votes')}</h2>
      {props.polls.map((p) => {
        const mine = props.votes[p.pollId];
        const waiting = props.queued.has(p.pollId);
        return (
          <div key={p.pollId} className="poll" data-testid="poll">
            <h3>
              {p.question} <span className="muted">· {label(lang, 'pollKind', p.kind)}</span>
            </h3>
            {p.state === 'open' && !mine && !waiting && (
              <div className="choices" role="group" aria-label={p.question}>
                {p.choices.map((c) => (
                  <button
                    key={c}
                    type="button"
                    className="big"
                    disabled={props.disabled}
                    onClick={() => props.vote(p, c)}
                  >
                    {choiceLabel(lang, p, c)}
                  </button>
                ))}
              </div>
            )}
            {(mine || waiting) && (
              <p className="ok" data-testid="my-vote">
                {waiting
                  ? t('投票发送中…', 'Sending your vote…')
                  : `${t('您已投票', 'You voted')}：${choiceLabel(lang, p, mine ?? '')}`}
              </p>
            )}
            <Tally poll={p} />
          </div>
        );
      })}
    </section>
  );
}
