import { MeetingRefDto, VoteDto } from '@liexi/live';
import { DomainException } from '@liexi/platform';
import type { Ack } from '@liexi/contracts';
import { SocketRouter, validated } from './socket-router';

const POLL = '3f2b7c1e-8a4d-4c2e-9b1a-2d3e4f5a6b7c';
const ok = { pollId: POLL, choice: 'yes', clientKey: 'vote-key-0001' };

function codeOf(body: unknown): string | { fields?: unknown } {
  try {
    validated(VoteDto, body);
    return 'ok';
  } catch (err) {
    return err instanceof DomainException ? { fields: err.extra.fields } : 'thrown';
  }
}

describe('socket body validation', () => {
  it('accepts a valid body as an instance of the DTO', () => {
    const dto = validated(VoteDto, { ...ok });
    expect(dto).toBeInstanceOf(VoteDto);
    expect(dto).toEqual(ok);
  });

  it('refuses unknown fields and wrong types, naming them', () => {
    expect(codeOf({ ...ok, extra: 1 })).toEqual({ fields: { extra: ['property extra should not exist'] } });
    expect(codeOf({ ...ok, pollId: 'not-a-uuid' })).toMatchObject({ fields: { pollId: expect.any(Array) } });
    expect(codeOf({ ...ok, clientKey: 'x' })).toMatchObject({ fields: { clientKey: expect.any(Array) } });
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, undefined, 'vote', 42, [ok]])
      expect(codeOf(body)).toEqual({ fields: { body: ['must be an object'] } });
  });

  it('cannot be fooled by a "__proto__" key into skipping validation', () => {
    const hostile = JSON.parse(
      `{"__proto__": {"x": 1}, "pollId": "nope", "choice": "", "clientKey": "k"}`,
    ) as unknown;
    const result = codeOf(hostile);
    expect(result).not.toBe('ok');
    // Refused before validation, as an unknown field (an own key: JSON.parse makes it one).
    const fields = (result as { fields: Record<string, string[]> }).fields;
    expect(Object.keys(fields)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toEqual([
      'property __proto__ should not exist',
    ]);
  });
});

describe('socket router drain', () => {
  const actor = { accountId: 'a', username: 'u', role: 'attendee', unitId: null, participantId: null };

  /** A fake socket: `emit(event, body)` runs the router's listener and resolves with the ack. */
  function fakeSocket(router: SocketRouter): { emit(event: string): Promise<Ack<unknown>> } {
    const socket = {
      id: 's1',
      data: { actor, exp: Date.now() / 1000 + 3600, locale: 'en' },
      emit: () => true,
    };
    return {
      emit: (event) =>
        new Promise((resolve) =>
          router.listener.call(socket as never, event, { meetingId: POLL }, (a: Ack<unknown>) => resolve(a)),
        ),
    };
  }

  it('answers the events in hand, then refuses new ones with the retryable UNAVAILABLE', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const router = new SocketRouter({
      'slow.thing': { roles: ['attendee'], dto: MeetingRefDto, handle: () => slow.then(() => 'done') },
    });
    const socket = fakeSocket(router);
    const inHand = socket.emit('slow.thing');
    let drained = false;
    const draining = router.drain().then(() => (drained = true));
    const refused = await socket.emit('slow.thing');
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    await Promise.resolve();
    expect(drained).toBe(false);
    release();
    expect(await inHand).toEqual({ ok: true, data: 'done' });
    await draining;
    expect(drained).toBe(true);
  });
});
