import type pg from 'pg';

type Query = (...args: unknown[]) => unknown;

/**
 * Puts `intercept` in front of every statement the pool's clients send: it gets the client's own
 * query function (to run something in the same session first) and the call's arguments. Each
 * client is wrapped once, when first checked out after this is called; `stop` wraps no more.
 */
export function interceptQueries(pool: pg.Pool, intercept: (query: Query, args: unknown[]) => unknown): { stop(): void } {
  const wrapped = new WeakSet<object>();
  function wrap(client: pg.PoolClient) {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (...args: unknown[]) => intercept(query, args);
  }
  pool.on('acquire', wrap);
  return { stop: () => pool.off('acquire', wrap) };
}

/** The text of a query call's first argument (a string or a query config). */
export const statementText = (args: unknown[]): string => String((args[0] as { text?: string }).text ?? args[0]);

/**
 * Records the text of every statement the pool's clients send while `on` (tests that count round
 * trips, issue 13).
 */
export function recordStatements(pool: pg.Pool, options: { on?: boolean } = {}) {
  const statements: string[] = [];
  const recorder = {
    statements,
    on: options.on ?? true,
    stop: () => interception.stop(),
  };
  const interception = interceptQueries(pool, (query, args) => {
    if (recorder.on) statements.push(statementText(args));
    return query(...args);
  });
  return recorder;
}
