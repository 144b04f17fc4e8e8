import type pg from 'pg';

/**
 * Records the text of every statement the pool's clients send while `on` (tests that count round
 * trips, issue 13). Each client is wrapped once, when first checked out after this is called.
 */
export function recordStatements(pool: pg.Pool, options: { on?: boolean } = {}) {
  const statements: string[] = [];
  const recorder = { statements, on: options.on ?? true, stop: () => pool.off('acquire', wrap) };
  const wrapped = new WeakSet<object>();
  function wrap(client: pg.PoolClient) {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (recorder.on) statements.push(String((args[0] as { text?: string }).text ?? args[0]));
      return query(...args);
    };
  }
  pool.on('acquire', wrap);
  return recorder;
}
