// A retired instance's schema is dropped while a runner that has not yet seen the retirement may
// still be applying a batch to its tables; the drop, locking them one by one, can deadlock with
// that batch and be the one PostgreSQL aborts (a CI run left the old version's tables behind
// after a rebuild). The drop is tried again once the batch has ended.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { dropRetiredSchema, dropSchema } from './pg-store';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 4 });
});
afterAll(async () => {
  await t.drop();
});

const TABLES = ['t1', 't2', 't3', 't4', 't5'];

async function schemaWithTables(name: string) {
  await t.pool.query(`CREATE SCHEMA ${name}; ${TABLES.map((x) => `CREATE TABLE ${name}.${x} (id text PRIMARY KEY)`).join('; ')}`);
}

/**
 * A batch that writes the middle table, then (once the drop waits for it) every other table, then
 * rolls back: the drop holds some of those by then, and the two deadlock.
 */
async function deadlockWith(name: string, drop: () => Promise<void>) {
  const batch = await t.pool.connect();
  try {
    await batch.query('BEGIN');
    await batch.query(`INSERT INTO ${name}.t3 VALUES ('a')`);
    const dropping = drop().then(() => null, (error: unknown) => error);
    await new Promise((r) => setTimeout(r, 300)); // the drop is waiting for t3 now
    const rest = Promise.all(TABLES.filter((x) => x !== 't3').map((x) => batch.query(`INSERT INTO ${name}.${x} VALUES ('a')`).catch((e: unknown) => e)));
    // One of the two is aborted (deadlock_timeout later); the batch then ends either way.
    await rest;
    await batch.query('ROLLBACK').catch(() => undefined);
    return await dropping;
  } finally {
    batch.release();
  }
}

const exists = async (name: string) => (await t.pool.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [name])).rows.length > 0;

describe('dropping a retired schema', () => {
  it('a plain drop can be the deadlock victim of a batch still applying; the retired drop is tried again and the schema is gone', async () => {
    await schemaWithTables('rm_plain_drop');
    const plain = await deadlockWith('rm_plain_drop', () => dropSchema(t.db, 'rm_plain_drop'));
    // The drop waits first, so its deadlock check runs first and it is the one aborted.
    expect((plain as { code?: string } | null)?.code).toBe('40P01');
    expect(await exists('rm_plain_drop')).toBe(true);

    await schemaWithTables('rm_retired_drop');
    const retired = await deadlockWith('rm_retired_drop', () => dropRetiredSchema(t.db, 'rm_retired_drop'));
    expect(retired).toBeNull();
    expect(await exists('rm_retired_drop')).toBe(false);
  });
});
