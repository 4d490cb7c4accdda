import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The table @socket.io/postgres-adapter keeps cross-node payloads over NOTIFY's 8000 bytes in
 * (e.g. a meeting's sockets fetched from every node); it deletes its rows after 30 s. No entity:
 * only the adapter reads and writes it.
 */
export class SocketIoAttachments1795333500000 implements MigrationInterface {
  name = 'SocketIoAttachments1795333500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "socket_io_attachments" ("id" bigserial UNIQUE, "created_at" timestamptz DEFAULT now(), "payload" bytea)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "socket_io_attachments"');
  }
}
