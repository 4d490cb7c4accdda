/* Password hashes of an older format or a lower cost are rewritten at the next successful login. */
import { hashPassword } from '@liexi/platform';
import { Client } from 'pg';
import { Api, startTestApp, type TestApp } from './support/app';

describe('password rehash on login', () => {
  let t: TestApp;
  let pg: Client;
  const storedHash = async (username: string): Promise<string> =>
    (await pg.query('SELECT password_hash FROM account WHERE username = $1', [username])).rows[0]
      .password_hash;

  beforeAll(async () => {
    // The test app writes ln=14 hashes (test/support/app.ts): here the node asks for 15.
    t = await startTestApp({ PASSWORD_SCRYPT_LOG_N: '15' });
    pg = new Client({ connectionString: t.databaseUrl });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await t.close();
  });

  it('rewrites a first-format hash (scrypt$N$…) with the configured cost, and the password still works', async () => {
    const [, , salt, key] = (await hashPassword('demo', { logN: 14, r: 8, p: 1 })).split('$');
    const first = `scrypt$16384$${salt}$${key}`;
    await pg.query('UPDATE account SET password_hash = $1 WHERE username = $2', [first, 'citizen1']);

    await expect(Api.login(t.baseUrl, 'citizen1', 'wrong')).rejects.toThrow('401');
    expect(await storedHash('citizen1')).toBe(first);

    await Api.login(t.baseUrl, 'citizen1');
    const rewritten = await storedHash('citizen1');
    expect(rewritten).not.toBe(first);
    expect(rewritten).toMatch(/^scrypt\$ln=15,r=8,p=1\$/);

    await Api.login(t.baseUrl, 'citizen1');
    expect(await storedHash('citizen1')).toBe(rewritten);
  });

  it('rewrites a lower cost and keeps an equal one', async () => {
    await pg.query('UPDATE account SET password_hash = $1 WHERE username = $2', [
      await hashPassword('demo', { logN: 14, r: 8, p: 1 }),
      'deputy1',
    ]);
    await Api.login(t.baseUrl, 'deputy1');
    expect(await storedHash('deputy1')).toMatch(/^scrypt\$ln=15,/);
  });
});
