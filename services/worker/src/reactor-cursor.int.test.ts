// Issue 11.12: the reactor's checkpoint moves past events of types it does not plan from, so each
// pass does not rescan the backlog of other types.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { createReactor } from './reactor';
import { silentLogger } from './types';

let tdb: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 4 });
  store = new EventStore({ pool: tdb.pool, notify: false });
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

describe('reactor checkpoint', () => {
  it('issue 11.12: a pass over only other types\' events moves the reactor checkpoint to the newest settled event', async () => {
    const meta = { actorId: 'tester', actorRole: 'admin', correlationId: 'c' };
    let last = 0;
    for (let i = 0; i < 5; i++) {
      last = (await store.appendToStream(`other-${i}`, [{ type: 'NotPlannedFrom', data: { i } }, { type: 'NotPlannedFrom', data: { i } }], { expectedVersion: 'no_stream', metadata: meta })).lastPosition;
    }
    const reactor = createReactor({ pool: tdb.pool, store, logger: silentLogger, batchSize: 3 });
    expect(await reactor.catchUp()).toBe(0);
    // Before the fix it stayed at 0 and every pass read the whole backlog again.
    expect(await reactor.position()).toBe(last);
    expect(await store.headPosition()).toBe(last);
  });
});
