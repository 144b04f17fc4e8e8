import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import ICAL from 'ical.js';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { seedYearSteps, runSeedYear, SEED_IDS } from '../test-fixtures/seed-year';

// Issue 14.3: a collaborative's iCalendar feed, read as a calendar client would (no header, the
// token in the URL) and parsed by an iCalendar library.
let t: TestApp;
let projector: RunningProjector;
const C = SEED_IDS.collaborative;
const moved = '0190a000-0000-7000-8000-0000000000a1';
const dropped = '0190a000-0000-7000-8000-0000000000a2';

const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  t = await createTestApp();
  const launch = seedYearSteps().slice(0, 1);
  const meeting = (meetingId: string, startsAt: string) => ({
    name: `schedule ${meetingId}`, command: 'ScheduleMeeting' as const, at: '2025-01-10T09:00:00.000Z', as: 'admin' as const, method: 'POST' as const,
    url: `/v1/collaboratives/${C}/meetings`, status: 201 as const,
    body: { meetingId, kind: 'regular_call', modality: 'video', startsAt, durationMinutes: 60, callIn: 'https://meet.example.org/c', agenda: 'Monthly call', invitedAgencyIds: [] },
  });
  const results = await runSeedYear(t.app, {
    keys: { admin: t.adminKey, coach: t.adminKey, agency: t.adminKey },
    setClock: (at) => (t.clock.now = at),
    steps: [
      ...launch,
      meeting(moved, '2025-03-04T10:00:00-05:00'),
      meeting(dropped, '2025-03-11T15:00:00Z'),
      { ...meeting(moved, ''), name: 'reschedule', command: 'RescheduleMeeting', status: 200, at: '2025-02-01T09:00:00.000Z', url: `/v1/meetings/${moved}/reschedule`, body: { startsAt: '2025-03-06T16:30:00Z', reason: 'Snow day' } },
      { ...meeting(dropped, ''), name: 'cancel', command: 'CancelMeeting', status: 200, at: '2025-02-02T09:00:00.000Z', url: `/v1/meetings/${dropped}/cancellation`, body: { reason: 'Holiday' } },
    ],
  });
  expect(results.map((r) => r.status)).toEqual([201, 201, 201, 200, 200]);
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
  t.clock.now = new Date('2025-02-15T12:00:00.000Z');
});
afterAll(async () => {
  await projector.stop();
  await t.close();
});

function parse(text: string) {
  const vcalendar = new ICAL.Component(ICAL.parse(text));
  return {
    vcalendar,
    events: vcalendar.getAllSubcomponents('vevent').map((v) => ({
      uid: String(v.getFirstPropertyValue('uid')),
      sequence: Number(v.getFirstPropertyValue('sequence')),
      status: v.getFirstPropertyValue('status') as string | null,
      start: (v.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
      end: (v.getFirstPropertyValue('dtend') as ICAL.Time | null)?.toJSDate().toISOString() ?? null,
      stamp: v.getFirstPropertyValue('dtstamp'),
      summary: String(v.getFirstPropertyValue('summary')),
    })),
  };
}

describe('calendar feeds (issue 14.3)', () => {
  it('issue 14.3: a feed parsed by an iCalendar library shows the rescheduled meeting at its new time and the cancelled one as cancelled; a revoked token gets 404', async () => {
    const created = await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/calendar-feeds`, headers: as(t.adminKey), payload: { scope: 'collaborative', name: 'Access 2025' } });
    expect(created.statusCode).toBe(201);
    const feed = created.json() as { feedId: string; token: string; url: string };
    expect(feed.token).toMatch(/^cvf_/);
    expect(created.headers.location).toBe(`/v1/collaboratives/${C}/calendar-feeds/${feed.feedId}`);
    expect((await t.app.inject({ url: created.headers.location as string, headers: as(t.adminKey) })).statusCode).toBe(200);
    // Only the hash is stored.
    const { rows } = await t.database.pool.query<{ token_hash: string }>('SELECT token_hash FROM calendar_feeds');
    expect(rows.map((r) => r.token_hash)).not.toContain(feed.token);

    const res = await t.app.inject({ url: feed.url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const { vcalendar, events } = parse(res.body);
    expect(vcalendar.getFirstPropertyValue('x-wr-timezone')).toBe('UTC');
    expect(vcalendar.getFirstPropertyValue('x-wr-calname')).toBe('Access 2025');
    const byUid = new Map(events.map((e) => [e.uid, e]));
    const m = byUid.get(`meeting-${moved}@convene`);
    expect(m).toMatchObject({ start: '2025-03-06T16:30:00.000Z', end: '2025-03-06T17:30:00.000Z', sequence: 1, status: 'CONFIRMED' });
    expect(byUid.get(`meeting-${dropped}@convene`)).toMatchObject({ start: '2025-03-11T15:00:00.000Z', sequence: 1, status: 'CANCELLED' });
    for (const e of events) expect(e.stamp).not.toBeNull();

    // Revoked: the URL answers 404, and the same URL never comes back.
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/collaboratives/${C}/calendar-feeds/${feed.feedId}`, headers: as(t.adminKey) })).statusCode).toBe(204);
    const gone = await t.app.inject({ url: feed.url });
    expect(gone.statusCode).toBe(404);
    expect(gone.body).not.toContain('BEGIN:VCALENDAR');
    const listed = await t.app.inject({ url: `/v1/collaboratives/${C}/calendar-feeds`, headers: as(t.adminKey) });
    expect(listed.json().items).toEqual([expect.objectContaining({ feedId: feed.feedId, revokedAt: expect.any(String) })]);
  });

  it('issue 14.3: UIDs stay stable and SEQUENCE grows when a meeting moves again', async () => {
    const created = (await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/calendar-feeds`, headers: as(t.adminKey), payload: { scope: 'collaborative' } })).json() as { url: string };
    const before = parse((await t.app.inject({ url: created.url })).body).events.find((e) => e.uid === `meeting-${moved}@convene`)!;
    t.clock.now = new Date('2025-02-20T09:00:00.000Z');
    const again = await t.app.inject({ method: 'POST', url: `/v1/meetings/${moved}/reschedule`, headers: as(t.adminKey), payload: { startsAt: '2025-03-07T16:30:00Z' } });
    expect(again.statusCode).toBe(200);
    await projector.idle();
    const after = parse((await t.app.inject({ url: created.url })).body).events.find((e) => e.uid === `meeting-${moved}@convene`)!;
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(after.start).toBe('2025-03-07T16:30:00.000Z');
  });

  it('issue 14.3: feeds are scoped like the calendar they expose, and an unknown token is 404', async () => {
    const analyst = await t.createKey({ name: 'analyst', role: 'analyst' });
    expect((await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/calendar-feeds`, headers: as(analyst), payload: { scope: 'collaborative' } })).statusCode).toBe(403);
    const agency = await t.createKey({ name: 'agency', role: 'agency', collaborativeIds: [C], agencyIds: [SEED_IDS.agency1] });
    const other = await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/calendar-feeds`, headers: as(agency), payload: { scope: 'agency', agencyId: SEED_IDS.agency2 } });
    expect(other.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/calendar-feeds`, headers: as(agency), payload: { scope: 'agency' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.agencyId');
    expect((await t.app.inject({ url: `/v1/calendar-feeds/cvf_${'x'.repeat(43)}.ics` })).statusCode).toBe(404);
  });

  it('issue 14: the feed list follows the list style: by creation (default) or name, paged by cursor; other keys see their own', async () => {
    const coach = await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, collaborativeIds: [C], agencyIds: [SEED_IDS.agency1] });
    for (const name of ['zeta board', 'Alpha wall', 'mid room']) {
      expect((await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/calendar-feeds`, headers: as(coach), payload: { scope: 'coach', coachId: SEED_IDS.coach, name } })).statusCode).toBe(201);
    }
    const list = async (query: string, key = coach) => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { name: string }[]; nextCursor: string | null } =
          (await t.app.inject({ url: `/v1/collaboratives/${C}/calendar-feeds?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`, headers: as(key) })).json();
        names.push(...page.items.map((f) => f.name));
        cursor = page.nextCursor;
      } while (cursor);
      return names;
    };
    expect(await list('')).toEqual(['zeta board', 'Alpha wall', 'mid room']);
    expect(await list('sort=name')).toEqual(['Alpha wall', 'mid room', 'zeta board']);
    expect(await list('sort=-name')).toEqual(['zeta board', 'mid room', 'Alpha wall']);
    expect(await list('sort=-createdAt')).toEqual(['mid room', 'Alpha wall', 'zeta board']);
    // The admin sees the coach's feeds among every feed.
    expect(await list('sort=name', t.adminKey)).toEqual(expect.arrayContaining(['Alpha wall', 'mid room', 'zeta board']));
    expect((await t.app.inject({ url: `/v1/collaboratives/${C}/calendar-feeds?sort=colour`, headers: as(coach) })).statusCode).toBe(400);
  });
});
