// The read contract's set-up (issue 14: read-contract, read-locations and list-order e2e tests):
// the seed year with every creation, two uploads and an announcement, read models caught up, and a
// key per role scoped to the seed collaborative (agency 1 for the coach and agency keys).
import { beforeAll, afterAll } from '@jest/globals';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from './test-app';
import { meetingPeopleSteps } from './meeting-people-steps';
import { correctionSteps, heldSteps, networkSteps, runSeedYear, SEED_IDS, seedYearSteps, type SeedResult } from './seed-year';
import { multipart, PDF } from '../documents/test-helpers';

export type Who = 'admin' | 'scopedAdmin' | 'coach' | 'agency' | 'analyst' | 'auditor';
export const WHO: Who[] = ['admin', 'scopedAdmin', 'coach', 'agency', 'analyst', 'auditor'];

export let t: TestApp;
let projector: RunningProjector;
export let results: SeedResult[];
export let keys: Record<Who, string>;
export const C = SEED_IDS.collaborative;
export const OTHER = '0190afff-0000-7000-8000-000000000099';
/** Agency 1's document (uploaded in beforeAll). */
export const DOCUMENT = '0190afff-0000-7000-8000-0000000000d1';
/** An announcement to the stakeholders (issue 18, sent in beforeAll once the read models caught up: its audience resolves from them). */
export const ANNOUNCEMENT = '0190afff-0000-7000-8000-0000000000e1';


export const get = (url: string, who: Who) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${keys[who]}` } });
export const withPosition = (url: string, p: number) => `${url}${url.includes('?') ? '&' : '?'}consistentWith=${p}`;

/** Seeds the year before the file's tests (up to two minutes) and stops the projector after. */
export function useReadContractFixture(): void {
  beforeAll(async () => {
    t = await createTestApp();
    const scope = { collaborativeIds: [C] };
    keys = {
      admin: t.adminKey,
      scopedAdmin: await t.createKey({ name: 'scoped admin', role: 'admin', ...scope }),
      coach: await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, ...scope, agencyIds: [SEED_IDS.agency1] }),
      agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: SEED_IDS.agencyChangeLeader, ...scope, agencyIds: [SEED_IDS.agency1] }),
      analyst: await t.createKey({ name: 'analyst', role: 'analyst', ...scope }),
      auditor: await t.createKey({ name: 'auditor', role: 'auditor', ...scope }),
    };
    // The year with every creation, the past-recorded call and visit too (issue 16), before agency 1 completes.
    const year = seedYearSteps();
    const last = year.findIndex((s) => s.command === 'CompleteParticipation');
    const steps = [...year.slice(0, last), ...heldSteps(), ...networkSteps(), ...correctionSteps(), ...year.slice(last)];
    // Issue 16: people at the kick-off, in time order (registered before it, attendance after its per-agency record).
    const people = meetingPeopleSteps();
    steps.splice(steps.findIndex((s) => s.name === 'record the kick-off attendance'), 0, ...people.slice(0, -1));
    steps.splice(steps.findIndex((s) => s.name === 'publish the kick-off minutes'), 0, ...people.slice(-1));
    results = await runSeedYear(t.app, { keys: { admin: keys.admin, coach: keys.coach, agency: keys.agency }, setClock: (at) => (t.clock.now = at), steps });
    const failed = results.find((r) => r.status !== r.step.status);
    if (failed) throw new Error(`seed step "${failed.step.name}" answered ${failed.status}: ${JSON.stringify(failed.body)}`);
    // Uploads are multipart, outside the JSON seed: one agency-level and one collaborative-wide document, followed like the seed's creations.
    t.clock.now = new Date('2025-12-01T10:00:00.000Z');
    for (const [who, targetKind, targetId, documentId] of [
      ['agency', 'agency', SEED_IDS.agency1, DOCUMENT], ['admin', 'collaborative', C, '0190afff-0000-7000-8000-0000000000d2'],
    ] as const) {
      const body = multipart({ documentId, targetKind, targetId, description: 'Walk-through report' }, { name: 'report.pdf', type: 'application/pdf', data: PDF });
      const res = await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/documents`, headers: { authorization: `Bearer ${keys[who]}`, 'content-type': body.contentType }, payload: body.payload });
      const step = { name: `upload a ${targetKind} document`, command: 'AttachDocument', at: t.clock.now.toISOString(), as: who, method: 'POST', url: `/v1/collaboratives/${C}/documents`, body: {}, status: 201 } as const;
      results.push({ step, status: res.statusCode, body: res.json(), headers: res.headers });
    }
    projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
    await projector.idle();
    const url = `/v1/collaboratives/${C}/announcements`;
    const body = { announcementId: ANNOUNCEMENT, subject: 'Year-end report', body: 'The year-end report is out.', audience: 'stakeholders' };
    const announced = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${keys.admin}` }, payload: body });
    results.push({ step: { name: 'announce to the stakeholders', command: 'SendAnnouncement', at: t.clock.now.toISOString(), as: 'admin', method: 'POST', url, body, status: 201 }, status: announced.statusCode, body: announced.json(), headers: announced.headers });
    await projector.idle();
  }, 120_000);
  afterAll(async () => {
    await projector.stop();
    await t.close();
  });
}
