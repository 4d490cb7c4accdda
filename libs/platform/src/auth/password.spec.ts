import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  let stored: string;

  beforeAll(async () => {
    stored = await hashPassword('correct horse battery staple');
  });

  it('stores scrypt$N$salt$hash', () => {
    const parts = stored.split('$');
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe('scrypt');
    expect(Number(parts[1])).toBeGreaterThanOrEqual(16384);
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
    ])('%s', async (_name, bad) => {
      await expect(verifyPassword('correct horse battery staple', bad)).resolves.toBe(false);
    });
  });
});
