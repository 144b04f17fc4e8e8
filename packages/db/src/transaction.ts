import type pg from 'pg';

/**
 * Runs `work` in a transaction on one pooled connection: COMMIT when it returns, ROLLBACK when it
 * throws (the error is rethrown), and the connection goes back to the pool either way.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
