import type { InputRef } from '@liexi/live';
import { proposersOf } from './proposers';

const input = (id: string, author: string, anonymous: boolean): InputRef =>
  ({ id, authorParticipantId: author, anonymous }) as InputRef;

describe('proposersOf', () => {
  it('takes authors and co-signers, once each', () => {
    const map = proposersOf(
      [input('i1', 'a', false), input('i2', 'b', false)],
      [
        { inputId: 'i1', participantId: 'c' },
        { inputId: 'i2', participantId: 'a' },
      ],
    );
    expect([...map.entries()].sort()).toEqual([
      ['a', false],
      ['b', false],
      ['c', false],
    ]);
  });

  it('keeps a proposer anonymous only when everything they proposed or co-signed was anonymous', () => {
    const map = proposersOf(
      [input('i1', 'a', true), input('i2', 'b', false)],
      [
        { inputId: 'i1', participantId: 'c' },
        { inputId: 'i1', participantId: 'b' },
        { inputId: 'i2', participantId: 'd' },
      ],
    );
    expect(map.get('a')).toBe(true);
    expect(map.get('c')).toBe(true); // co-signed only the anonymous input
    expect(map.get('b')).toBe(false); // also authored a named one
    expect(map.get('d')).toBe(false);
  });

  it('is empty without inputs', () => {
    expect(proposersOf([]).size).toBe(0);
  });
});
