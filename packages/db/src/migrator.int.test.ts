import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { MigrationError, migrateToLatest } from './migrator';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ migrate: false });
});
afterAll(async () => tdb.drop());

describe('migrator', () => {
  it('applies every migration once, in order, and records it', async () => {
    const applied = await migrateToLatest(tdb.db);
    expect(applied.length).toBeGreaterThan(0);
    expect([...applied].sort()).toEqual(applied);
    expect(await migrateToLatest(tdb.db)).toEqual([]);
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(tdb.db);
    expect(rows.map((r) => r.name)).toEqual(applied);
    // The typed tables exist with the columns the schema types name.
    await tdb.db.selectFrom('events').select(['global_position', 'stream_id', 'transaction_id', 'metadata']).execute();
  });

  it('refuses to run when the database holds a migration this code does not have', async () => {
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', now()::text)`.execute(tdb.db);
    const error = await migrateToLatest(tdb.db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/ahead of this code/);
  });
});
