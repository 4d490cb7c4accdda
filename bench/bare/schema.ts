/* The bare reference server's own tables, in its own database (never the product's). */
import { Client } from 'pg';

export const BARE_SCHEMA = `
CREATE TABLE IF NOT EXISTS bare_event (
  meeting_id uuid NOT NULL, seq bigint NOT NULL, type text NOT NULL, data jsonb NOT NULL,
  PRIMARY KEY (meeting_id, seq));
CREATE TABLE IF NOT EXISTS bare_input (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), meeting_id uuid NOT NULL, client_key text NOT NULL,
  text text NOT NULL, UNIQUE (meeting_id, client_key));
CREATE TABLE IF NOT EXISTS bare_stream (meeting_id uuid PRIMARY KEY, last_seq bigint NOT NULL);
CREATE TABLE IF NOT EXISTS bare_vote (
  poll_id uuid NOT NULL, voter text NOT NULL, choice text NOT NULL, PRIMARY KEY (poll_id, voter));
`;

export async function createBareSchema(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(BARE_SCHEMA);
  } finally {
    await c.end();
  }
}
