import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

const N = 16384;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password, salt, KEYLEN, { N: n, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, N);
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, nRaw, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !nRaw || !saltB64 || !keyB64) return false;
  // Only the costs we could have written: a power of two from 2^10 to 2^17.
  const n = Number(nRaw);
  if (!Number.isInteger(n) || n < 1024 || n > 131072 || (n & (n - 1)) !== 0) return false;
  const expected = Buffer.from(keyB64, 'base64');
  try {
    const key = await scrypt(password, Buffer.from(saltB64, 'base64'), n);
    return key.length === expected.length && timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}
