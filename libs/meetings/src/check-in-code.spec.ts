import { parsePayload } from './check-in-code.service';

describe('check-in QR payload', () => {
  const id = '0b7c6f1e-3a52-4c8e-9d0f-7a1b2c3d4e5f';

  it('reads liexi:checkin:<invitationId>:<code>', () => {
    expect(parsePayload(`liexi:checkin:${id}:AbC_-123xyz`)).toEqual({
      invitationId: id,
      code: 'AbC_-123xyz',
    });
    expect(parsePayload(`  liexi:checkin:${id}:AbC_-123xyz\n`)).toEqual({
      invitationId: id,
      code: 'AbC_-123xyz',
    });
  });

  it.each([
    ['another prefix', `other:checkin:${id}:AbC_-123xyz`],
    ['no code', `liexi:checkin:${id}:`],
    ['short code', `liexi:checkin:${id}:abc`],
    ['not an id', 'liexi:checkin:123:AbC_-123xyz'],
    ['extra part', `liexi:checkin:${id}:AbC_-123xyz:more`],
  ])('refuses %s', (_, payload) => {
    expect(parsePayload(payload)).toBeNull();
  });
});
