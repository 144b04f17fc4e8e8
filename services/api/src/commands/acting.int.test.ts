// Issue 12.8: a command that names who acts (reviewer, coach) is recorded as the key's own person
// unless an admin key records it for someone else.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { z } from 'zod';
import { commandRegistry, streamIds, type CommandType } from '@convene/domain';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { runSeedYear, SEED_IDS, seedYearSteps } from '../test-fixtures/seed-year';
import { actingPersonField, objectPersonFields } from './acting';

const OTHER_COACH = '0190a000-0000-7000-8000-000000000039';
const C = `/v1/collaboratives/${SEED_IDS.collaborative}`;
const A = (agencyId: string) => `${C}/agencies/${agencyId}`;
let t: TestApp;
const k: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const scope = { collaborativeIds: [SEED_IDS.collaborative] };
  k.coach = await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, ...scope, agencyIds: [SEED_IDS.agency1] });
  k.agency = await t.createKey({ name: 'agency 1', role: 'agency', ...scope, agencyIds: [SEED_IDS.agency1] });
  k.scopedAdmin = await t.createKey({ name: 'scoped admin', role: 'admin', ...scope });
  const steps = seedYearSteps();
  const upTo = steps.findIndex((s) => s.name === 'assign the coach to agency 1') + 1;
  const results = await runSeedYear(t.app, { keys: { admin: t.adminKey, coach: k.coach, agency: k.agency }, setClock: (at) => (t.clock.now = at), steps: steps.slice(0, upTo) });
  expect(results.every((r) => r.status === r.step.status)).toBe(true);
  const other = await post(t.adminKey, `${C}/system-roles`, { role: 'coach', person: { personId: OTHER_COACH, name: 'Olive Other', email: 'olive@example.org' } });
  expect(other.statusCode).toBe(200);
});
afterAll(async () => t.close());

function post(key: string, url: string, payload: object) {
  return t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload });
}
const note = (coachId: string) => ({ coachId, coachedOn: '2025-02-01', assistance: 'Reviewed the walk-through' });
const notes = async (agencyId: string) =>
  (await t.eventStore.readStream(streamIds.participation(SEED_IDS.collaborative, agencyId))).events.filter((e) => e.type === 'CoachingNoteRecorded');

describe('issue 12.8: the acting person comes from the key', () => {
  it('a coach key cannot record a coaching note in another coach’s name, nor for an agency it does not coach', async () => {
    const forged = await post(k.coach!, `${A(SEED_IDS.agency1)}/coaching-notes`, note(OTHER_COACH));
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ code: 'acting_for_another', errors: [{ path: 'body.coachId' }] });
    expect(await notes(SEED_IDS.agency1)).toHaveLength(0);

    const elsewhere = await post(k.coach!, `${A(SEED_IDS.agency2)}/coaching-notes`, note(SEED_IDS.coach));
    expect(elsewhere.statusCode).toBe(403);
    expect(await notes(SEED_IDS.agency2)).toHaveLength(0);

    const own = await post(k.coach!, `${A(SEED_IDS.agency1)}/coaching-notes`, note(SEED_IDS.coach));
    expect(own.statusCode).toBe(200);
    expect((await notes(SEED_IDS.agency1)).map((e) => (e.data as { coachId: string }).coachId)).toEqual([SEED_IDS.coach]);
  });

  it('a coach key schedules site visits only as itself', async () => {
    const body = { coachId: OTHER_COACH, scheduledAt: '2025-03-10T14:00:00Z', agenda: 'Intake review' };
    const forged = await post(k.coach!, `${A(SEED_IDS.agency1)}/site-visits`, body);
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('acting_for_another');
    expect((await post(k.coach!, `${A(SEED_IDS.agency1)}/site-visits`, { ...body, coachId: SEED_IDS.coach })).statusCode).toBe(201);
  });

  it('an admin key (scoped to the collaborative) may record for another person', async () => {
    expect((await post(k.scopedAdmin!, `${A(SEED_IDS.agency2)}/coaching-notes`, note(OTHER_COACH))).statusCode).toBe(200);
    expect((await notes(SEED_IDS.agency2)).map((e) => (e.data as { coachId: string }).coachId)).toEqual([OTHER_COACH]);
  });

  it('every person-id field of every command is classified as the actor or as the object of the act', () => {
    const personish = /^(coach|reviewer|author|recorder|presenter|person|user|actor|owner)Ids?$/;
    const unclassified: string[] = [];
    const found: string[] = [];
    for (const [type, entry] of Object.entries(commandRegistry)) {
      const shape = (entry.schema as unknown as z.ZodObject).shape ?? {};
      for (const field of Object.keys(shape).filter((f) => personish.test(f))) {
        found.push(`${type}.${field}`);
        const known = actingPersonField[type as CommandType] === field || objectPersonFields[type as CommandType]?.includes(field);
        if (!known) unclassified.push(`${type}.${field}`);
      }
    }
    expect(found).toEqual(expect.arrayContaining(['ScoreApplication.reviewerId', 'RecordCoachingNote.coachId', 'ScheduleSiteVisit.coachId', 'AssignCoach.coachId']));
    expect(unclassified).toEqual([]);
    expect(Object.keys(actingPersonField).sort()).toEqual(['AssessProgress', 'RecordCoachingNote', 'RecordHeldSiteVisit', 'ScheduleSiteVisit', 'ScoreApplication']);
  });
});
