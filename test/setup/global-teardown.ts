import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { __liexiTestDb?: { stop(): Promise<void>; dir: string } }).__liexiTestDb;
  if (!db) return;
  await db.stop();
  rmSync(db.dir, { recursive: true, force: true });
}
