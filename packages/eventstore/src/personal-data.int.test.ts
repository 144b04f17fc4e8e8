import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { EventStore } from './event-store';
import { createPersonalDataHook, PersonalDataVault, type PersonalDataDescriptor } from './personal-data';
import { meta } from './test-helpers';

// Test descriptor: `PersonNamed {personId, name, email}` holds personal values.
const describePd: PersonalDataDescriptor = (type, data) => {
  const d = data as { personId?: string };
  if (type !== 'PersonNamed' || !d.personId) return [];
  const subjectId = `person:${d.personId}`;
  return [
    { path: ['name'], subjectId, placeholder: '[erased]' },
    { path: ['email'], subjectId, placeholder: 'erased@erased.invalid' },
  ];
};

let tdb: TestDatabase;
let store: EventStore;
let plain: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase();
  store = new EventStore({ pool: tdb.pool, personalData: createPersonalDataHook({ pool: tdb.pool, describe: describePd }), notify: false });
  plain = new EventStore({ pool: tdb.pool, notify: false });
});
afterAll(async () => {
  await store.close();
  await plain.close();
  await tdb.drop();
});

const ada = { personId: 'p-ada', name: 'Ada Quintero', email: 'ada.q@example.org', role: 'sponsor' };
const bob = { personId: 'p-bob', name: 'Bob Okafor', email: 'bob@example.org', role: 'leader' };

describe('crypto-shredding in the event store', () => {
  it('seals personal values on append, reads them back, and erases them by deleting the key', async () => {
    await store.appendToStream('people-1', [
      { type: 'PersonNamed', data: ada },
      { type: 'PersonNamed', data: bob },
      { type: 'Other', data: { n: 1, name: 'not personal by the descriptor' } },
    ], { expectedVersion: 'no_stream', metadata: meta });

    // Stored: no plain name or e-mail, a sealed value with its subject and placeholder.
    const raw = await tdb.pool.query<{ data: string }>("SELECT data::text AS data FROM events WHERE stream_id = 'people-1'");
    const rawText = raw.rows.map((r) => r.data).join('\n');
    expect(rawText).not.toContain('Ada Quintero');
    expect(rawText).not.toContain('ada.q@example.org');
    expect(rawText).toContain('"s": "person:p-ada"');
    expect(rawText).toContain('"role": "sponsor"');

    const before = await store.readStream('people-1');
    expect(before.events.map((e) => e.data)).toEqual([ada, bob, { n: 1, name: 'not personal by the descriptor' }]);
    // The feed may lag behind appenders of other test databases on the same server: poll.
    let all = await store.readAll({ after: 0 });
    for (let i = 0; i < 100 && all.events.length < 3; i++) all = await store.readAll({ after: 0 });
    expect(all.events[0]?.data).toEqual(ada);

    const count = async () => Number((await tdb.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
    const eventsBefore = await count();
    const vault = new PersonalDataVault(tdb.pool);
    expect(await vault.erase(['person:p-ada', 'person:nobody'])).toEqual(['person:p-ada']);

    const after = await store.readStream('people-1');
    expect(after.events[0]?.data).toEqual({ personId: 'p-ada', name: '[erased]', email: 'erased@erased.invalid', role: 'sponsor' });
    expect(after.events[1]?.data).toEqual(bob);
    expect(JSON.stringify((await store.readStream('people-1')).events)).not.toContain('Ada');
    expect(await count()).toBe(eventsBefore);

    // A new key for the same subject cannot open what the erased key sealed.
    await store.appendToStream('people-1', [{ type: 'PersonNamed', data: { ...ada, name: 'Ada Again' } }], { expectedVersion: 3, metadata: meta });
    const again = await store.readStream('people-1');
    expect(again.events.map((e) => (e.data as { name: string }).name)).toEqual(['[erased]', 'Bob Okafor', 'not personal by the descriptor', 'Ada Again']);
  });

  it('a store without the hook reads the sealed form, never the plain value', async () => {
    const { events } = await plain.readStream('people-1');
    expect(JSON.stringify(events)).not.toContain('Bob Okafor');
    expect((events[1]?.data as { name: unknown }).name).toMatchObject({ s: 'person:p-bob', e: '[erased]' });
  });

  it('appends inside a caller transaction: keys are created outside it, the append stays first', async () => {
    const client = await tdb.pool.connect();
    try {
      await client.query('BEGIN');
      await store.appendToStream('people-2', [{ type: 'PersonNamed', data: { ...bob, personId: 'p-carol', name: 'Carol' } }], {
        expectedVersion: 'no_stream', metadata: meta, client,
      });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await store.readStream('people-2')).events[0]?.data).toMatchObject({ name: 'Carol' });
  });
});

describe('issue 13: sealing keys cached, guarded by the key generation', () => {
  /** Statements of the test pool that read or write keys while `f` runs. */
  const keyStatements = async (f: () => Promise<unknown>) => {
    const pool = tdb.pool as unknown as { query: (...args: unknown[]) => unknown };
    const original = pool.query;
    let n = 0;
    pool.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text?.includes('personal_data_keys')) n++;
      return original.apply(this, args);
    };
    try {
      await f();
    } finally {
      pool.query = original;
    }
    return n;
  };
  const dana = { personId: 'p-dana', name: 'Dana Cached', email: 'dana@example.org', role: 'member' };
  const named = async (stream: string) => (await store.readStream(stream)).events.map((e) => (e.data as { name: string }).name);

  it('a subject sealed once is sealed again without reading its key', async () => {
    expect(await keyStatements(() => store.appendToStream('people-3', [{ type: 'PersonNamed', data: dana }], { expectedVersion: 'no_stream', metadata: meta }))).toBeGreaterThan(0);
    expect(await keyStatements(() => store.appendToStream('people-3', [{ type: 'PersonNamed', data: { ...dana, name: 'Dana Twice' } }], { expectedVersion: 1, metadata: meta }))).toBe(0);
    expect(await named('people-3')).toEqual(['Dana Cached', 'Dana Twice']);
  });

  it('after an erasure elsewhere, appends sealed with the cached key are sealed anew under a new key (alone and grouped), and read back', async () => {
    // Another process erases Dana: this store's cache still holds her old key.
    expect(await new PersonalDataVault(tdb.pool).erase(['person:p-dana'])).toEqual(['person:p-dana']);
    expect(await named('people-3')).toEqual(['[erased]', '[erased]']);
    await store.appendToStream('people-3', [{ type: 'PersonNamed', data: { ...dana, name: 'Dana Alone' } }], { expectedVersion: 2, metadata: meta });
    expect(await named('people-3')).toEqual(['[erased]', '[erased]', 'Dana Alone']);

    await new PersonalDataVault(tdb.pool).erase(['person:p-dana']);
    // Concurrent appends share a group-committed batch: refused whole at the old generation, each sealed again.
    await Promise.all(
      ['people-4', 'people-5', 'people-6'].map((s, i) =>
        store.appendToStream(s, [{ type: 'PersonNamed', data: { ...dana, name: `Dana ${i}` } }], { expectedVersion: 'no_stream', metadata: meta }),
      ),
    );
    expect([...(await named('people-4')), ...(await named('people-5')), ...(await named('people-6'))]).toEqual(['Dana 0', 'Dana 1', 'Dana 2']);
    expect(await named('people-3')).toEqual(['[erased]', '[erased]', '[erased]']);
  });
});
