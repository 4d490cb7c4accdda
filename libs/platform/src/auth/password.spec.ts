import { hashPassword, needsRehash, SCRYPT_COST, verifyPassword } from './password';

const FAST = { logN: 14, r: 8, p: 1 };

describe('password hashing', () => {
  let stored: string;

  beforeAll(async () => {
    stored = await hashPassword('correct horse battery staple');
  });

  it('stores scrypt$ln=17,r=8,p=1$salt$hash: the current recommendation, every parameter recorded', () => {
    const parts = stored.split('$');
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe('scrypt');
    expect(parts[1]).toBe('ln=17,r=8,p=1');
    expect(Buffer.from(parts[2] ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[3] ?? '', 'base64')).toHaveLength(32);
    expect(stored).not.toContain('correct horse');
  });

  it('verifies the right password', async () => {
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
  });

  it('rejects a wrong password', async () => {
    await expect(verifyPassword('correct horse battery stapler', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('handles non-ASCII passwords', async () => {
    const h = await hashPassword('列席会议密码');
    await expect(verifyPassword('列席会议密码', h)).resolves.toBe(true);
    await expect(verifyPassword('列席会议', h)).resolves.toBe(false);
  });

  it('salts: two hashes of the same password differ and both verify', async () => {
    const a = await hashPassword('same password');
    const b = await hashPassword('same password');
    expect(a).not.toBe(b);
    expect(a.split('$')[2]).not.toBe(b.split('$')[2]);
    await expect(verifyPassword('same password', a)).resolves.toBe(true);
    await expect(verifyPassword('same password', b)).resolves.toBe(true);
  });

  it('does not verify against a hash with the key of another salt', async () => {
    const other = await hashPassword('correct horse battery staple');
    const [scheme, n, salt] = stored.split('$');
    const spliced = [scheme, n, salt, other.split('$')[3]].join('$');
    await expect(verifyPassword('correct horse battery staple', spliced)).resolves.toBe(false);
  });

  it('verifies the first format (scrypt$16384$…) and asks for a rehash of it', async () => {
    // Written by the first release: N only, r=8 and p=1 implied.
    const legacy = await hashPassword('old password', FAST);
    const [, , salt, key] = legacy.split('$');
    const first = `scrypt$16384$${salt}$${key}`;
    await expect(verifyPassword('old password', first)).resolves.toBe(true);
    await expect(verifyPassword('old passw0rd', first)).resolves.toBe(false);
    expect(needsRehash(first)).toBe(true);
  });

  it('asks for a rehash of a weaker cost only', async () => {
    expect(SCRYPT_COST).toEqual({ logN: 17, r: 8, p: 1 });
    expect(needsRehash(stored)).toBe(false);
    const weak = await hashPassword('x', FAST);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, FAST)).toBe(false);
    expect(needsRehash('garbage')).toBe(false);
  });

  describe('a malformed stored string returns false instead of throwing', () => {
    const salt = Buffer.alloc(16, 7).toString('base64');
    const key = Buffer.alloc(32, 9).toString('base64');
    test.each([
      ['empty', ''],
      ['plain text', 'not-a-hash'],
      ['another scheme', `bcrypt$16384$${salt}$${key}`],
      ['missing parts', 'scrypt$16384$'],
      ['empty salt and key', 'scrypt$16384$$'],
      ['truncated key', `scrypt$16384$${salt}$AAAA`],
      ['non-numeric N', `scrypt$abc$${salt}$${key}`],
      ['N not a power of two', `scrypt$3$${salt}$${key}`],
      ['cost out of range', `scrypt$ln=30,r=8,p=1$${salt}$${key}`],
      ['memory over the bound', `scrypt$ln=20,r=16,p=1$${salt}$${key}`],
      ['unknown parameter', `scrypt$ln=14,r=8,q=1$${salt}$${key}`],
      ['extra part', `scrypt$ln=14,r=8,p=1$${salt}$${key}$x`],
    ])('%s', async (_name, bad) => {
      await expect(verifyPassword('correct horse battery staple', bad)).resolves.toBe(false);
    });
  });
});
