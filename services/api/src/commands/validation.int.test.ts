// Table-driven from the command registry: every command route refuses a missing field, a wrong
// type and an unknown field with 400 naming the field, and never answers 5xx.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { commandTypes, type CommandType } from '@convene/domain';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { heldSteps, networkSteps, SEED_IDS, seedYearSteps } from '../test-fixtures/seed-year';
import { commandSchemas } from './schemas';
import { commandRoutes, type CommandRouteSpec } from './table';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const paramValues: Record<string, string> = {
  collaborativeId: SEED_IDS.collaborative,
  agencyId: SEED_IDS.agency1,
  projectId: SEED_IDS.project,
  visitId: SEED_IDS.siteVisit,
  meetingId: SEED_IDS.kickOff,
  documentId: '0190afff-0000-7000-8000-0000000000d1',
  measureId: 'admissions',
  entryId: '0190afff-0000-7000-8000-0000000000e1',
  organisationId: SEED_IDS.agency1,
  personId: SEED_IDS.agencyChangeLeader,
  mentorAgencyId: SEED_IDS.agency1,
  expenditureId: '0190afff-0000-7000-8000-0000000000e1',
  category: 'travel',
};
const urlOf = (type: CommandType) => commandRoutes[type].path.replace(/:(\w+)/g, (_, p: string) => paramValues[p] ?? p);

/** A valid body for each command: the seed year's, else these. */
const extraBodies: Partial<Record<CommandType, Record<string, unknown>>> = {
  CloseCollaborative: { closedOn: '2025-12-31', reason: 'Done' },
  DeclineApplication: { reason: 'Out of region' },
  WithdrawAgency: { withdrawnOn: '2025-05-01' },
  CorrectMonthlyMeasures: { month: '2025-03', counts: { admissions: 3 }, reason: 'Typo' },
  AbandonChangeProject: { abandonedOn: '2025-05-01', reason: 'Staff left' },
  RescheduleSiteVisit: { scheduledAt: '2025-05-01T10:00:00Z' },
  CancelSiteVisit: { reason: 'Weather' },
  RescheduleMeeting: { startsAt: '2025-05-01T10:00:00Z' },
  CancelMeeting: { reason: 'Holiday' },
  AssignPresenters: { agencyIds: [SEED_IDS.agency1] },
  CorrectMinutes: { minutes: 'Corrected', reason: 'Wrong date' },
  PrepareMeetingPacket: {},
  RemoveDocument: { reason: 'Uploaded by mistake' },
  SendAnnouncement: { subject: 'Session moved', body: 'The June session moves to 12 June.', audience: 'change_leaders' },
  DefineMeasure: { measure: { id: 'same_day_starts', name: 'Same-day starts', definition: 'Clients starting treatment on the day of first contact', type: 'proportion', unit: 'clients', direction: 'higher', period: 'monthly', required: false } },
  RetireMeasure: { reason: 'Replaced by a rate per 100 visits' },
  StartChartPhase: { startsWith: '2025-03', freezeThrough: '2025-05', reason: 'Sustained shift after the walk-in change' },
  SaveMeasuresDraft: { period: '2025-04', values: { admissions: { count: 4 } } },
  SubmitMeasures: { period: '2025-04', values: { admissions: { count: 4 } } },
  CorrectBaseline: { values: { admissions: { count: 4 } }, reason: 'Recount' },
  CorrectMeasures: { period: '2025-03', values: { admissions: { count: 4 } }, reason: 'Recount' },
  AssessProgress: { period: '2025-03', coachId: SEED_IDS.agency1, score: 2.5, comment: 'Testing changes' },
  ProposePlan: { template: 'niatx-year', location: 'Room 4', callIn: 'https://meet.example.org/x' },
  AdoptPlan: { cohortId: SEED_IDS.cohort1 },
  AdoptPlanEntry: { coachId: SEED_IDS.agency1 },
  MovePlanEntry: { startsAt: '2025-05-01T10:00:00Z' },
  DropPlanEntry: { reason: 'Merged with the call' },
  RebasePlan: { startsOn: '2025-02-01' },
  // Issue 16: people at meetings.
  InviteToMeeting: { invitees: { invitedOrganisationIds: [SEED_IDS.agency2], invitedPersonIds: [SEED_IDS.coach], audiences: [{ type: 'all_change_leaders' }] } },
  SetMeetingProgramme: { facilitators: [{ personId: SEED_IDS.coach }], presenters: [{ agencyId: SEED_IDS.agency1, startOffsetMinutes: 0, minutes: 15 }] },
  SetMeetingCreditHours: { creditHours: 1.5 },
  RegisterForMeeting: { personId: SEED_IDS.coach },
  CancelMeetingRegistration: { personId: SEED_IDS.coach },
  RecordPersonAttendance: { attendance: [{ personId: SEED_IDS.coach, present: true, minutesAttended: 45 }] },
  UpdateOrganisation: { name: 'Riverside Recovery Services', city: 'Springfield' },
  ChangePersonContact: { name: 'Morgan Leader', email: 'morgan.leader@example.org', phone: '555-0101' },
  MovePerson: { organisationId: null },
  CreditRecruitment: { mentorCollaborativeId: SEED_IDS.collaborative, collaborativeId: SEED_IDS.collaborative, applicantAgencyId: SEED_IDS.agency3 },
  // Issue 16 corrections.
  CorrectCollaborativeDates: { startsOn: '2025-01-01', endsOn: '2026-01-31', reason: 'Extended' },
  ChangeMeetingCadence: { meetingCadence: 'quarterly', reason: 'Fewer sessions' },
  RemoveSystemRole: { role: 'coach', personId: SEED_IDS.agency1, reason: 'Left' },
  CorrectExpenditure: { amountCents: 1200, category: 'travel', spentOn: '2025-03-01', reason: 'Invoice' },
  VoidExpenditure: { reason: 'Duplicate' },
  SetBudget: { amountCents: 500000 },
  CorrectBaselinePeriod: { baselinePeriod: { from: '2024-12-01', to: '2025-01-31' }, reason: 'Span' },
  CorrectWalkThrough: { walkedThroughOn: '2025-02-06', findings: 'Waits', reason: 'Date' },
  CorrectApplicationScore: { reviewerId: SEED_IDS.agency1, scores: [{ criterion: 'fit', score: 5 }], reason: 'Misread' },
  RemoveAgencyRole: { role: 'change_leader', personId: SEED_IDS.agency1, reason: 'Left' },
  StartSystemChangeProject: {
    title: 'Pay walk-in intakes', aim: 'Pay within 30 days', measure: 'waiting_time', baselineValue: 75, targetValue: 30, targetDate: '2026-09-30',
    changeIdea: 'A billing code', levelOfCare: 'other', team: [{ name: 'Casey', role: 'Leader' }],
  },
};
/** Commands sent as JSON (multipart uploads are validated by documents/documents.int.test.ts). */
const jsonCommandTypes = commandTypes.filter((type) => !('multipart' in commandRoutes[type]));
const seedBodies = new Map<CommandType, Record<string, unknown>>();
for (const s of [...seedYearSteps(), ...heldSteps(), ...networkSteps()]) if (!seedBodies.has(s.command)) seedBodies.set(s.command, s.body);
const validBody = (type: CommandType) => seedBodies.get(type) ?? extraBodies[type];

const shapeOf = (type: CommandType) => commandSchemas[type].bodySchema.shape as Record<string, { safeParse: (v: unknown) => { success: boolean } }>;
/** The first required body field; undefined when every body field is optional (AdoptPlan: the path says it all; PrepareMeetingPacket: only the id it creates). */
const requiredField = (type: CommandType): string | undefined => {
  const shape = shapeOf(type);
  return Object.keys(shape).find((k) => !shape[k]!.safeParse(undefined).success);
};
/** A field to send with a wrong type: the first required one, else the first of the body. */
const someField = (type: CommandType): string => {
  const field = requiredField(type) ?? Object.keys(shapeOf(type))[0];
  if (!field) throw new Error(`${type} has no body field`);
  return field;
};

async function send(type: CommandType, body: Record<string, unknown>) {
  const response = await t.app.inject({
    method: commandRoutes[type].method,
    url: urlOf(type),
    headers: { authorization: `Bearer ${t.adminKey}` },
    payload: body,
  });
  return { status: response.statusCode, type: response.headers['content-type'], problem: response.json() as { errors?: { path: string }[]; requestId?: string } };
}

describe('every command route validates its body', () => {
  it('has a valid sample body for every command of the registry', () => {
    expect(jsonCommandTypes.filter((type) => !validBody(type))).toEqual([]);
  });

  describe.each(jsonCommandTypes.map((type) => [type]))('%s', (type) => {
    it('missing field -> 400 naming it', async () => {
      const field = requiredField(type);
      if (!field) {
        // Every field optional: an empty body is valid for the schema (the domain decides the rest).
        expect(commandSchemas[type].bodySchema.safeParse({}).success).toBe(true);
        return;
      }
      const { [field]: _removed, ...body } = validBody(type)!;
      const r = await send(type, body);
      expect(r.status).toBe(400);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.problem.errors?.map((e) => e.path)).toContain(`body.${field}`);
      expect(r.problem.requestId).toEqual(expect.any(String));
    });

    it('wrong type -> 400 naming it', async () => {
      const field = someField(type);
      const r = await send(type, { ...validBody(type), [field]: true });
      expect(r.status).toBe(400);
      expect(r.problem.errors?.map((e) => e.path)).toContain(`body.${field}`);
    });

    it('unknown field -> 400 naming it', async () => {
      const r = await send(type, { ...validBody(type), unexpectedField: 1 });
      expect(r.status).toBe(400);
      expect(r.problem.errors?.map((e) => e.path)).toContain('body.unexpectedField');
    });
  });

  it('names a nested field and a bad path parameter', async () => {
    const baseline = validBody('RecordBaseline')!;
    const nested = await send('RecordBaseline', { ...baseline, counts: { ...(baseline.counts as object), intakeNoShows: 'many' } });
    expect(nested.status).toBe(400);
    expect(nested.problem.errors?.map((e) => e.path)).toContain('body.counts.intakeNoShows');

    const badParam = await t.app.inject({
      method: 'POST',
      url: `/v1/collaboratives/${SEED_IDS.collaborative}/agencies/not-a-uuid/baseline`,
      headers: { authorization: `Bearer ${t.adminKey}` },
      payload: baseline,
    });
    expect(badParam.statusCode).toBe(400);
    expect((badParam.json() as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('params.agencyId');
  });

  it('refinements of the domain schema answer 400 with the field, not 5xx', async () => {
    const launch = validBody('LaunchCollaborative')!;
    const r = await send('LaunchCollaborative', { ...launch, endsOn: '2024-01-01' });
    expect(r.status).toBe(400);
    expect(r.problem.errors?.map((e) => e.path)).toContain('body.endsOn');
  });

  it('malformed JSON is a 400 problem', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/collaboratives',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
