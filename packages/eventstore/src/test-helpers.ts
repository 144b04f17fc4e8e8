import type pg from 'pg';
import type { EventMetadata, NewEvent } from './types';

export const meta: EventMetadata = { actorId: 'tester', actorRole: 'admin', correlationId: 'c-1' };

export function events(n: number, type = 'ThingHappened'): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({ type, data: { i } }));
}

/** Runs `work` in a transaction on its own connection and leaves it open until `finish` is called. */
export async function openTransaction(pool: pg.Pool) {
  const client = await pool.connect();
  await client.query('BEGIN');
  return {
    client,
    async commit() {
      await client.query('COMMIT');
      client.release();
    },
    async rollback() {
      await client.query('ROLLBACK');
      client.release();
    },
  };
}
