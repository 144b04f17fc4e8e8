// Issue 12.14: free text that can name people (findings, minutes, summaries, coaching and scoring
// notes) is sealed per field, under its author's key or the collaborative's, and an erasure reaches
// the live read models at once, before any rebuild.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { personalFreeText } from '@convene/domain';
import { startProjector } from '@convene/projector';
import type { TestApp } from '../test-fixtures/test-app';
import { createSeededApp } from '../test-fixtures/seeded-app';
import { SEED_IDS } from '../test-fixtures/seed-year';

let t: TestApp;
const TEXTS = {
  WalkThroughSubmitted: 'Callers wait for a call back',
  SiteVisitCompleted: 'Walk-in intake works',
  MinutesPublished: 'Agencies chose first changes',
  CoachingNoteRecorded: 'Reviewed run charts',
  ApplicationScored: 'Strong sponsor',
};

beforeAll(async () => {
  t = await createSeededApp();
}, 90_000);
afterAll(async () => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.adminKey}` } });
const erase = (payload: object) => t.app.inject({ method: 'POST', url: '/v1/privacy/erasures', headers: { authorization: `Bearer ${t.adminKey}` }, payload });
const C = `/v1/collaboratives/${SEED_IDS.collaborative}`;
const readTexts = async () => {
  const { events } = await t.eventStore.readAll({ limit: 10_000 });
  return JSON.stringify(events.filter((e) => e.type in TEXTS).map((e) => e.data));
};

describe('issue 12.14: free text is personal data', () => {
  it('the descriptor marks the free-text fields per event type, with their author where the event names one', () => {
    expect(personalFreeText).toMatchObject({
      CoachingNoteRecorded: { fields: ['assistance'], author: 'coachId' },
      ApplicationScored: { fields: ['notes'], author: 'reviewerId' },
      WalkThroughSubmitted: { fields: ['findings'] },
      SiteVisitCompleted: { fields: ['summary'] },
      MinutesPublished: { fields: ['minutes'] },
      MinutesCorrected: { fields: ['minutes'] },
    });
  });

  it('stores them sealed; every reader gets them back', async () => {
    const { rows } = await t.database.pool.query<{ t: string }>('SELECT string_agg(data::text, \' \') AS t FROM events WHERE event_type = ANY($1)', [Object.keys(TEXTS)]);
    for (const text of Object.values(TEXTS)) expect(rows[0]!.t).not.toContain(text);
    const read = await readTexts();
    for (const text of Object.values(TEXTS)) expect(read).toContain(text);
  });

  it("erasing the collaborative's free text and the coach reaches the live read models at once (no projector running)", async () => {
    expect((await get(`${C}/site-visits`)).body).toContain(TEXTS.SiteVisitCompleted);
    expect((await erase({ collaborativeId: SEED_IDS.collaborative })).statusCode).toBe(201);
    const visits = await get(`${C}/site-visits`);
    expect(visits.statusCode).toBe(200);
    expect(visits.body).not.toContain(TEXTS.SiteVisitCompleted);
    expect(visits.body).toContain('[erased]');
    expect((await get(`${C}/agencies/${SEED_IDS.agency1}`)).body).not.toContain(TEXTS.SiteVisitCompleted);

    // The coach's own note and the reviewer's notes go with their authors.
    let read = await readTexts();
    expect(read).toContain(TEXTS.CoachingNoteRecorded);
    expect(read).not.toContain(TEXTS.WalkThroughSubmitted);
    expect(read).not.toContain(TEXTS.MinutesPublished);
    expect((await erase({ personId: SEED_IDS.coach })).statusCode).toBe(201);
    expect((await erase({ personId: SEED_IDS.reviewer })).statusCode).toBe(201);
    read = await readTexts();
    for (const text of Object.values(TEXTS)) expect(read).not.toContain(text);

    // A rebuild from the erased log equals the patched live tables.
    const projector = await startProjector({ pool: t.database.pool, store: t.eventStore, pollIntervalMs: 50 });
    await projector.idle();
    await projector.stop();
    const verify = await t.app.inject({ method: 'POST', url: '/v1/admin/projections/schedule/verify', headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(verify.json()).toMatchObject({ equal: true, differences: [] });
  });
});
