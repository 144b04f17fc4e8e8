// Issue 12.12 (idempotency records hold ids and versions only, and expire) and 12.15 (concurrent
// retries of one Idempotency-Key on a creation: one creation, identical answers).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { streamIds } from '@convene/domain';
import { sweepIdempotency } from '@convene/eventstore';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { runSeedYear, SEED_IDS, seedYearSteps } from '../test-fixtures/seed-year';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const steps = seedYearSteps();
  const results = await runSeedYear(t.app, { keys: { admin: t.adminKey, coach: t.adminKey, agency: t.adminKey }, setClock: (at) => (t.clock.now = at), steps: steps.slice(0, 1) });
  expect(results[0]?.status).toBe(201);
});
afterAll(async () => t.close());

const C = `/v1/collaboratives/${SEED_IDS.collaborative}`;
const post = (url: string, payload: object, key: string) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.adminKey}`, 'idempotency-key': key }, payload });

describe('issue 12.15: concurrent retries of one Idempotency-Key on a creation', () => {
  it('eight parallel retries make one creation and get eight identical 201 answers', async () => {
    const cohort = { name: 'Cohort R', startsOn: '2025-03-01', capacity: 8 };
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(`${C}/cohorts`, cohort, 'open-cohort-r')));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(new Set(answers.map((a) => a.headers.location)).size).toBe(1);
    const { events } = await t.eventStore.readStream(streamIds.collaborative(SEED_IDS.collaborative));
    expect(events.filter((e) => e.type === 'CohortOpened' && (e.data as { name: string }).name === 'Cohort R')).toHaveLength(1);
  });
});

describe('issue 13: the key is looked up only when the command does not simply succeed', () => {
  /** Statements the app's pool sends while `f` runs that read the stored answers. */
  const lookUps = async (f: () => Promise<unknown>) => {
    const pool = t.database.pool as unknown as { query: (...args: unknown[]) => unknown };
    const original = pool.query;
    let n = 0;
    pool.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text?.includes('FROM api_idempotent_responses')) n++;
      return original.apply(this, args);
    };
    try {
      await f();
    } finally {
      pool.query = original;
    }
    return n;
  };

  it('a first command with a key reads no stored answer; its retry (refused when decided again) and a retry with a stale If-Match answer the first answer', async () => {
    const cohort = { name: 'Cohort L', startsOn: '2025-03-01', capacity: 8 };
    let first: Awaited<ReturnType<typeof post>> | undefined;
    expect(await lookUps(async () => (first = await post(`${C}/cohorts`, cohort, 'open-cohort-l')))).toBe(0);
    expect(first!.statusCode).toBe(201);
    // Decided again, the creation is refused (the cohort exists): the stored answer replaces the refusal.
    const retry = await post(`${C}/cohorts`, cohort, 'open-cohort-l');
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toBe(first!.body);
    // The same key with another request: 422, whatever the decision would have been.
    const other = await post(`${C}/cohorts`, { ...cohort, name: 'Cohort M' }, 'open-cohort-l');
    expect(other.statusCode).toBe(422);
    expect((other.json() as { code: string }).code).toBe('idempotency_key_reused');
    // A retry whose If-Match named the version before its own first answer: not 412 but that answer.
    const url = `${C}/system-roles`;
    const person = { personId: '0190a000-0000-7000-8000-0000000000ac', name: 'Lazy Lookup', email: 'lazy@example.org' };
    const version = (await t.eventStore.readStream(streamIds.collaborative(SEED_IDS.collaborative))).version;
    const send = () =>
      t.app.inject({
        method: 'POST', url, payload: { role: 'data_coordinator', person },
        headers: { authorization: `Bearer ${t.adminKey}`, 'idempotency-key': 'appoint-lazy', 'if-match': `W/"${version}"` },
      });
    const appointed = await send();
    expect(appointed.statusCode).toBe(200);
    const again = await send();
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(appointed.body);
  });
});

describe('issue 12.12: idempotency records hold no personal data and expire', () => {
  it('stores ids and versions only; a retry still answers the same; the sweep deletes records past the retention', async () => {
    const person = { personId: '0190a000-0000-7000-8000-0000000000aa', name: 'Ida Idempotent', email: 'ida.idem@example.org' };
    const first = await post(`${C}/system-roles`, { role: 'data_coordinator', person }, 'appoint-ida');
    expect(first.statusCode).toBe(200);
    const stored = async () =>
      (await t.database.pool.query<{ t: string }>(
        `SELECT (SELECT coalesce(string_agg(k::text, ' '), '') FROM idempotency_keys k) || ' ' ||
                (SELECT coalesce(string_agg(r::text, ' '), '') FROM api_idempotent_responses r) AS t`,
      )).rows[0]!.t;
    const text = await stored();
    expect(text).toContain(SEED_IDS.collaborative); // the rows are there...
    for (const v of [person.name, person.email, 'Casey Convener']) expect(text).not.toContain(v); // ...without names

    const retry = await post(`${C}/system-roles`, { role: 'data_coordinator', person }, 'appoint-ida');
    expect(retry.statusCode).toBe(200);
    expect(retry.body).toBe(first.body);

    // A delivery key of the workers is kept (it guards against sending twice and holds no names).
    await t.database.pool.query("INSERT INTO idempotency_keys (key, fingerprint, created_at) VALUES ('delivery-x', 'f', now() - interval '30 days')");
    expect(await sweepIdempotency(t.database.pool, { retentionMs: 24 * 3_600_000 })).toEqual({ keys: 0, responses: 0 });
    const later = new Date(Date.now() + 25 * 3_600_000);
    const swept = await sweepIdempotency(t.database.pool, { retentionMs: 24 * 3_600_000, now: later });
    expect(swept.keys).toBeGreaterThanOrEqual(3);
    expect(swept.responses).toBeGreaterThanOrEqual(3);
    const { rows } = await t.database.pool.query<{ key: string }>('SELECT key FROM idempotency_keys');
    expect(rows.map((r) => r.key)).toEqual(['delivery-x']);
  });

  it('a domain-level replay reads its events back from the stream (sealed values unsealed)', async () => {
    const { executeCommand } = await import('@convene/domain');
    const data = { collaborativeId: SEED_IDS.collaborative, role: 'coach', person: { personId: '0190a000-0000-7000-8000-0000000000ab', name: 'Rita Replay', email: 'rita@example.org' } };
    const meta = { now: '2025-01-07T09:00:00.000Z', actorId: 'a', actorRole: 'admin', correlationId: 'c', idempotencyKey: 'domain-replay' };
    const first = await executeCommand(t.eventStore, { type: 'AppointSystemRole', data }, meta);
    const again = await executeCommand(t.eventStore, { type: 'AppointSystemRole', data }, meta);
    expect(again.replayed).toBe(true);
    expect(again.events).toEqual(first.events);
    expect(JSON.stringify(again.events)).toContain('Rita Replay');
    const { rows } = await t.database.pool.query<{ r: string }>("SELECT result::text AS r FROM idempotency_keys WHERE key = 'domain-replay'");
    expect(rows[0]!.r).not.toContain('Rita');
  });
});
