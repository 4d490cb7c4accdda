import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

/** scrypt's cost: N = 2^logN, block size r, parallelism p. */
export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}

/**
 * The current recommendation (OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1, 128 MiB,
 * about 0.4 s on one core of the reference box). `PASSWORD_SCRYPT_LOG_N` may lower N for a
 * small machine (never below 2^14) or raise it.
 */
export const SCRYPT_COST: ScryptCost = { logN: 17, r: 8, p: 1 };
const KEYLEN = 32;
/** What verification accepts: the cost of anything we could have written, no more. */
const MAX_MEMORY = 1024 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  const maxmem = 128 * N * cost.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scryptCb(password, salt, KEYLEN, { N, r: cost.r, p: cost.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$ln=17,r=8,p=1$salt$hash` (base64): the stored string records every parameter. */
export async function hashPassword(password: string, cost: ScryptCost = SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return `scrypt$ln=${cost.logN},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Parsed {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

/** Reads both formats: `scrypt$ln=..,r=..,p=..$salt$key` and the first one, `scrypt$N$salt$key` (r=8, p=1). */
function parse(stored: string): Parsed | null {
  const [scheme, params, saltB64, keyB64, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !params || !saltB64 || !keyB64 || rest.length > 0) return null;
  let cost: ScryptCost;
  if (/^\d+$/.test(params)) {
    const n = Number(params);
    if (n < 1024 || n > 131072 || (n & (n - 1)) !== 0) return null;
    cost = { logN: Math.log2(n), r: 8, p: 1 };
  } else {
    const m = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(params);
    if (!m) return null;
    cost = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
    if (cost.logN < 10 || cost.logN > 20 || cost.r < 1 || cost.r > 16 || cost.p < 1 || cost.p > 16)
      return null;
    if (128 * 2 ** cost.logN * cost.r > MAX_MEMORY) return null;
  }
  return { cost, salt: Buffer.from(saltB64, 'base64'), key: Buffer.from(keyB64, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  try {
    const key = await scrypt(password, parsed.salt, parsed.cost);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  } catch {
    return false;
  }
}

/** A stored hash weaker than `cost` (or of the first format) is rewritten at the next login. */
export function needsRehash(stored: string, cost: ScryptCost = SCRYPT_COST): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  const work = (c: ScryptCost): number => 2 ** c.logN * c.r * c.p;
  return work(parsed.cost) < work(cost) || !stored.startsWith('scrypt$ln=');
}
