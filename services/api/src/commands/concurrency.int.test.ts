// Idempotency-Key replays the first answer byte for byte; If-Match guards the stream version.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { streamIds } from '@convene/domain';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { seedYearSteps } from '../test-fixtures/seed-year';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const launch = seedYearSteps()[0]!;
const { collaborativeId: _omit, ...launchWithoutId } = launch.body;
const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.adminKey}`, ...headers }, payload });
const person = (n: number) => ({ personId: `0190d000-0000-7000-8000-00000000000${n}`, name: `Person ${n}`, email: `p${n}@example.org` });

describe('Idempotency-Key', () => {
  it('a retry returns the first answer byte for byte and writes nothing', async () => {
    const first = await post('/v1/collaboratives', launchWithoutId, { 'idempotency-key': 'launch-1' });
    expect(first.statusCode).toBe(201);
    const { collaborativeId } = first.json() as { collaborativeId: string };
    const retry = await post('/v1/collaboratives', launchWithoutId, { 'idempotency-key': 'launch-1' });
    expect(retry.statusCode).toBe(201);
    expect(retry.rawPayload.equals(first.rawPayload)).toBe(true);
    for (const h of ['etag', 'location', 'convene-position', 'content-type']) expect(retry.headers[h]).toBe(first.headers[h]);
    expect(retry.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect((await t.eventStore.readStream(streamIds.collaborative(collaborativeId))).version).toBe(1);
  });

  it('the same key with another request is refused with 422', async () => {
    const r = await post('/v1/collaboratives', { ...launchWithoutId, name: 'Another name' }, { 'idempotency-key': 'launch-1' });
    expect(r.statusCode).toBe(422);
    expect((r.json() as { code: string }).code).toBe('idempotency_key_reused');
  });

  it('without a key, the same launch twice is a 409 conflict', async () => {
    expect((await post('/v1/collaboratives', launch.body)).statusCode).toBe(201);
    const again = await post('/v1/collaboratives', launch.body);
    expect(again.statusCode).toBe(409);
    expect((again.json() as { code: string }).code).toBe('collaborative_exists');
  });

  it('keys are per API key: another key may use the same key string', async () => {
    const other = await t.createKey({ name: 'second admin', role: 'admin' });
    const r = await t.app.inject({
      method: 'POST', url: '/v1/collaboratives', headers: { authorization: `Bearer ${other}`, 'idempotency-key': 'launch-1' }, payload: launchWithoutId,
    });
    expect(r.statusCode).toBe(201);
  });
});

describe('If-Match', () => {
  it('412 with the current version on a mismatch; applies when it matches', async () => {
    const created = await post('/v1/collaboratives', launchWithoutId);
    const { collaborativeId } = created.json() as { collaborativeId: string };
    const url = `/v1/collaboratives/${collaborativeId}/system-roles`;
    const stale = await post(url, { role: 'coach', person: person(1) }, { 'if-match': 'W/"7"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ status: 412, currentVersion: 1, code: 'version_mismatch' });
    const ok = await post(url, { role: 'coach', person: person(1) }, { 'if-match': created.headers.etag as string });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('W/"2"');
    const replayedEtag = await post(url, { role: 'coach', person: person(2) }, { 'if-match': created.headers.etag as string });
    expect(replayedEtag.statusCode).toBe(412);
    expect(replayedEtag.json()).toMatchObject({ currentVersion: 2 });
  });

  it('a malformed If-Match is a 400 naming the header', async () => {
    const r = await post(`/v1/collaboratives/${launch.body.collaborativeId as string}/system-roles`, { role: 'coach', person: person(3) }, { 'if-match': 'seven' });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('headers.if-match');
  });

  it('without If-Match, concurrent commands on one stream all land (conflicts retried inside)', async () => {
    const created = await post('/v1/collaboratives', launchWithoutId);
    const { collaborativeId } = created.json() as { collaborativeId: string };
    const answers = await Promise.all(
      [4, 5, 6, 7].map((n) => post(`/v1/collaboratives/${collaborativeId}/system-roles`, { role: 'coach', person: person(n) })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect((await t.eventStore.readStream(streamIds.collaborative(collaborativeId))).version).toBe(5);
  });
});
