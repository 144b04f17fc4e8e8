import { sql, type Kysely } from 'kysely';

/**
 * A transaction that commits without waiting for the WAL flush (for writes that a lost commit
 * only makes happen again: a projection's rows with their checkpoint). BEGIN and the SET LOCAL go
 * in one round trip (issue 13: a projector's transaction is a handful of statements, and on a
 * quiet system each round trip costs both processes a wake-up). One simple-protocol query, so
 * also behind a transaction pooler.
 */
export async function asyncCommitTransaction<T>(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw('BEGIN; SET LOCAL synchronous_commit = off').execute(conn);
    let result: T;
    try {
      result = await work(conn);
    } catch (error) {
      await sql.raw('ROLLBACK').execute(conn).catch(() => undefined);
      throw error;
    }
    await sql.raw('COMMIT').execute(conn);
    return result;
  });
}
