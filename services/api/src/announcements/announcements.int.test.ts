// Issue 18, Must show: an announcement to the Change Leaders of one cohort reaches exactly them,
// once, through real SMTP — sent through the API (audience resolved from the read models at
// command time, recorded in the event), a retried POST, two sending workers, a temporary SMTP
// refusal retried, and a stalled job run again.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { resolveAudience, startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { deliveryStreamId, processDelivery, silentLogger, startWorkers, mailerFromTransport, type Workers } from '@convene/worker';
import { testRedisUrl, uniqueRedisPrefix } from '@convene/testkit';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { startTestSmtp, type TestSmtp } from '../../../worker/src/testing/smtp';

let t: TestApp;
let projector: RunningProjector;
let smtp: TestSmtp;
const workers: Workers[] = [];
const C = randomUUID();
const cohort1 = randomUUID();
const cohort2 = randomUUID();
const agencies = [1, 2, 3].map((i) => ({ id: randomUUID(), i, cohort: i < 3 ? cohort1 : cohort2, leader: `leader${i}@agency${i}.example.org`, sponsor: `sponsor${i}@agency${i}.example.org` }));
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const post = async (url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const res = await t.app.inject({ method: 'POST', url, headers: { ...as(t.adminKey), ...headers }, payload });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
};
const person = (name: string, email: string) => ({ personId: randomUUID(), name, email });

beforeAll(async () => {
  t = await createTestApp();
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  smtp = await startTestSmtp();
  const ok = (r: { status: number; body: unknown }) => expect(r.status < 300 ? r.status : r).toBe(r.status);
  ok(await post('/v1/collaboratives', {
    collaborativeId: C, name: 'Access to Treatment', aim: 'Cut days to treatment', timeZone: 'America/New_York',
    convener: { organizationName: 'State SUD agency', contact: person('Connie Vener', 'convener@example.org') },
    focusMeasures: ['waiting_time'], startsOn: '2025-02-01', endsOn: '2025-12-31', meetingCadence: 'monthly',
    measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
  }));
  ok(await post(`/v1/collaboratives/${C}/system-roles`, { role: 'coach', person: person('Cora Coach', 'coach@example.org') }));
  ok(await post(`/v1/collaboratives/${C}/cohorts`, { cohortId: cohort1, name: 'Cohort 1', startsOn: '2025-02-01', capacity: 8 }));
  ok(await post(`/v1/collaboratives/${C}/cohorts`, { cohortId: cohort2, name: 'Cohort 2', startsOn: '2025-05-01', capacity: 8 }));
  for (const a of agencies) {
    ok(await post(`/v1/collaboratives/${C}/applications`, { agencyId: a.id, agencyName: `Agency ${a.i}`, contact: { name: `Contact ${a.i}`, email: `contact${a.i}@example.org` }, proposal: 'We will cut our wait' }));
    ok(await post(`/v1/collaboratives/${C}/agencies/${a.id}/admission`, { cohortId: a.cohort }));
    ok(await post(`/v1/collaboratives/${C}/agencies/${a.id}/roles`, { role: 'change_leader', person: person(`Leader ${a.i}`, a.leader) }));
    ok(await post(`/v1/collaboratives/${C}/agencies/${a.id}/roles`, { role: 'executive_sponsor', person: person(`Sponsor ${a.i}`, a.sponsor) }));
  }
  await projector.idle();
}, 60_000);
afterAll(async () => {
  for (const w of workers) await w.stop();
  await projector?.stop();
  await smtp?.close();
  await t?.close();
});

describe('issue 18: announcements', () => {
  it('refuses a cohort audience without a cohort, and a cohort not of this collaborative, naming cohortId', async () => {
    const base = { subject: 'Hello', body: 'Text', audience: 'cohort' };
    const missing = await post(`/v1/collaboratives/${C}/announcements`, base);
    expect([missing.status, missing.body.code, missing.body.errors?.[0]?.path]).toEqual([422, 'cohort_required', 'body.cohortId']);
    const foreign = await post(`/v1/collaboratives/${C}/announcements`, { ...base, cohortId: randomUUID() });
    expect([foreign.status, foreign.body.code]).toEqual([422, 'cohort_not_found']);
    const stakeholdersOfCohort = await post(`/v1/collaboratives/${C}/announcements`, { ...base, audience: 'stakeholders', cohortId: cohort1 });
    expect([stakeholdersOfCohort.status, stakeholdersOfCohort.body.code]).toEqual([422, 'cohort_not_applicable']);
    const withRecipients = await post(`/v1/collaboratives/${C}/announcements`, { ...base, audience: 'all_agencies', recipients: [] });
    expect(withRecipients.status).toBe(400); // the recipients are the server's to resolve
  });

  it('Must show: to the Change Leaders of cohort 1, it reaches exactly them, once (real SMTP, a retried POST, two workers, an SMTP retry, a job run again)', async () => {
    const announcementId = randomUUID();
    const body = { announcementId, subject: 'Learning session moved', body: 'The June session moves to 12 June.', audience: 'change_leaders', cohortId: cohort1 };
    const first = await post(`/v1/collaboratives/${C}/announcements`, body, { 'idempotency-key': 'announce-1' });
    expect(first.status).toBe(201);
    const retried = await post(`/v1/collaboratives/${C}/announcements`, body, { 'idempotency-key': 'announce-1' });
    expect(retried).toEqual(first);
    const again = await post(`/v1/collaboratives/${C}/announcements`, body);
    expect([again.status, again.body.code]).toEqual([409, 'announcement_exists']);

    // The event records whom it resolved to: the two Change Leaders of cohort 1, no one else.
    const { events } = await t.eventStore.readStream(`announcement-${announcementId}`);
    expect(events.map((e) => e.type)).toEqual(['AnnouncementSent']);
    const recorded = (events[0]!.data as { recipients: { email: string; role: string; agencyId: string }[] }).recipients;
    expect(recorded.map((r) => [r.email, r.role, r.agencyId]).sort()).toEqual([
      [agencies[0]!.leader, 'change_leader', agencies[0]!.id],
      [agencies[1]!.leader, 'change_leader', agencies[1]!.id],
    ]);

    // One planner/dispatcher and two senders; the first attempt at one address is refused (451).
    smtp.deferRecipients.set(agencies[0]!.leader, 1);
    const prefix = uniqueRedisPrefix('announce');
    const common = { pool: t.database.pool, store: t.eventStore, redisUrl: testRedisUrl(), prefix, logger: silentLogger, tickIntervalMs: null, backoffMs: 50, readModelWaitMs: 100 };
    const planner = startWorkers({ ...common, transport: nodemailer.createTransport({ jsonTransport: true }), roles: { planner: true, dispatcher: true, worker: false } });
    workers.push(planner);
    for (let i = 0; i < 2; i++) workers.push(startWorkers({ ...common, transport: nodemailer.createTransport(smtp.url), roles: { planner: false, dispatcher: false, worker: true } }));
    expect((await planner.tick()).dispatched).toBe(2);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const c = await planner.queue.getJobCounts('waiting', 'active', 'delayed');
      if (smtp.received.length >= 2 && (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) break;
      if (Date.now() > deadline) throw new Error(`not delivered: ${smtp.received.length} mails, ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(smtp.deferRecipients.get(agencies[0]!.leader)).toBe(0); // the 451 was answered, and the retry sent it
    // A stalled job run again by another worker finds the delivery recorded and sends nothing.
    const { rows } = await t.database.pool.query<{ key: string }>(`SELECT key FROM scheduled_deliveries WHERE kind = 'announcement' ORDER BY key`);
    const mailer = mailerFromTransport(nodemailer.createTransport(smtp.url));
    for (const { key } of rows) {
      expect(await processDelivery({ pool: t.database.pool, store: t.eventStore, mailer, clock: () => new Date(), from: 'x@example.org', logger: silentLogger }, key)).toBe('already-sent');
    }
    mailer.close();

    const mails = smtp.received.filter((m) => m.deliveryKey.startsWith(`announcement-${announcementId}`));
    expect(mails.map((m) => m.to).sort()).toEqual([[agencies[0]!.leader], [agencies[1]!.leader]].sort());
    for (const m of mails) {
      expect(m.subject).toBe('Access to Treatment: Learning session moved');
      expect(m.text).toContain('The June session moves to 12 June.');
      expect(m.text).toMatch(/Sent .* America\/New_York \(UTC-05:00\)\./);
      expect(m.text).toMatch(/Why you got this: you receive this as Change Leader of Agency [12] in Access to Treatment\./);
    }
    const sent = (await t.eventStore.readStream(deliveryStreamId(C))).events.filter((e) => e.type === 'MessageSent');
    expect(sent.map((e) => (e.data as { recipients: { email: string }[] }).recipients[0]!.email).sort()).toEqual([agencies[0]!.leader, agencies[1]!.leader].sort());
    expect(sent.every((e) => (e.data as { announcementId?: string }).announcementId === announcementId)).toBe(true);
  }, 60_000);

  it('the feed: an agency reads the announcements that reached it (its own roles only); another agency does not', async () => {
    await projector.idle();
    const key1 = await t.createKey({ name: 'agency 1', role: 'agency', actorId: randomUUID(), collaborativeIds: [C], agencyIds: [agencies[0]!.id] });
    const key3 = await t.createKey({ name: 'agency 3', role: 'agency', actorId: randomUUID(), collaborativeIds: [C], agencyIds: [agencies[2]!.id] });
    const feed = async (key: string) => (await t.app.inject({ url: `/v1/collaboratives/${C}/announcements`, headers: as(key) })).json() as { items: any[] };
    const mine = await feed(key1);
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ subject: 'Learning session moved', audience: 'change_leaders', cohortId: cohort1, recipientCount: 2 });
    expect(mine.items[0].agencies).toEqual([{ agencyId: agencies[0]!.id, roles: ['change_leader'] }]);
    expect((await feed(key3)).items).toEqual([]);
    const one = await t.app.inject({ url: `/v1/collaboratives/${C}/announcements/${mine.items[0].announcementId}`, headers: as(key3) });
    expect(one.statusCode).toBe(404);
    const all = await feed(t.adminKey);
    expect(all.items[0].agencies.map((a: { agencyId: string }) => a.agencyId).sort()).toEqual([agencies[0]!.id, agencies[1]!.id].sort());
  });

  it('the collaborative reads with the time zone set at launch', async () => {
    const res = await t.app.inject({ url: `/v1/collaboratives/${C}`, headers: as(t.adminKey) });
    expect(res.json().timeZone).toBe('America/New_York');
  });

  it('each audience resolves from the read models to its people (one per address)', async () => {
    const res = await t.app.inject({ method: 'PUT', url: `/v1/collaboratives/${C}/agencies/${agencies[2]!.id}/peer-mentor`, headers: as(t.adminKey), payload: { mentorAgencyId: agencies[0]!.id } });
    expect(res.statusCode).toBe(200);
    await projector.idle();
    const emails = async (audience: string, cohortId?: string) =>
      (await resolveAudience(t.database.db, { collaborativeId: C, audience: audience as never, ...(cohortId ? { cohortId } : {}) })).map((r) => r.email).sort();
    expect(await emails('all_agencies')).toEqual(agencies.flatMap((a) => [a.leader, a.sponsor]).sort());
    expect(await emails('cohort', cohort2)).toEqual([agencies[2]!.leader, agencies[2]!.sponsor].sort());
    expect(await emails('executive_sponsors')).toEqual(agencies.map((a) => a.sponsor).sort());
    expect(await emails('change_leaders', cohort2)).toEqual([agencies[2]!.leader]);
    expect(await emails('stakeholders')).toEqual(['coach@example.org', 'convener@example.org']);
    // Mentors: the agencies named peer mentors (agency 1 mentors agency 3), their Change Leader and Executive Sponsor.
    expect(await emails('mentors')).toEqual([agencies[0]!.leader, agencies[0]!.sponsor].sort());
    expect(await emails('mentors', cohort1)).toEqual([]);
  });
  it('issue 16: stakeholders also reach the registered people of non-provider organisations (a payer), through real SMTP; not a provider\'s people', async () => {
    const payer = randomUUID();
    const provider = randomUUID();
    expect((await post('/v1/organisations', { organisationId: payer, kind: 'payer', name: 'Medicaid Managed Care Plan' })).status).toBe(201);
    expect((await post('/v1/organisations', { organisationId: provider, kind: 'provider', name: 'Hillside Clinic' })).status).toBe(201);
    expect((await post('/v1/people', { personId: randomUUID(), organisationId: payer, name: 'Pat Payer', email: 'pat@payer.example.org' })).status).toBe(201);
    expect((await post('/v1/people', { personId: randomUUID(), organisationId: provider, name: 'Hal Provider', email: 'hal@hillside.example.org' })).status).toBe(201);
    await projector.idle();
    const resolved = await resolveAudience(t.database.db, { collaborativeId: C, audience: 'stakeholders' });
    expect(resolved.map((r) => r.email).sort()).toEqual(['coach@example.org', 'convener@example.org', 'pat@payer.example.org']);
    expect(resolved.find((r) => r.email === 'pat@payer.example.org')).toMatchObject({ role: 'stakeholder', organisation: 'Medicaid Managed Care Plan' });

    const announcementId = randomUUID();
    expect((await post(`/v1/collaboratives/${C}/announcements`, { announcementId, subject: 'Payer round-table', body: 'Join us on 3 July.', audience: 'stakeholders' })).status).toBe(201);
    await projector.idle();
    const planner = workers[0]!;
    expect((await planner.tick()).dispatched).toBe(3);
    const deadline = Date.now() + 20_000;
    const mails = () => smtp.received.filter((m) => m.deliveryKey.startsWith(`announcement-${announcementId}`));
    while (mails().length < 3) {
      if (Date.now() > deadline) throw new Error(`not delivered: ${mails().length} mails`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const toPat = mails().filter((m) => m.to.includes('pat@payer.example.org'));
    expect(toPat).toHaveLength(1);
    expect(toPat[0]!.text).toContain('Why you got this: you receive this as stakeholder of Medicaid Managed Care Plan in Access to Treatment.');
    expect(mails().flatMap((m) => m.to)).not.toContain('hal@hillside.example.org');
  }, 60_000);

  it('the mentors audience keeps a mentor that completed (issue 16: completed agencies are invited back as mentors)', async () => {
    // Agency 1 mentors agency 3 (set above). It completes its own participation: still a mentor.
    const done = await post(`/v1/collaboratives/${C}/agencies/${agencies[0]!.id}/completion`, { completedOn: '2025-12-01', closeOpenProjects: true });
    expect(done.status).toBe(200);
    await projector.idle();
    const emails = async (audience: 'mentors' | 'all_agencies') => (await resolveAudience(t.database.db, { collaborativeId: C, audience })).map((r) => r.email).sort();
    expect(await emails('all_agencies')).not.toContain(agencies[0]!.leader); // no longer taking part
    expect(await emails('mentors')).toEqual([agencies[0]!.leader, agencies[0]!.sponsor].sort());
  });
});
