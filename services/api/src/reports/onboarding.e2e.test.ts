// Issue 16 (Must show): "an end-to-end test that moves a collaborative already six months in onto
// Convene: its past meetings with attendance and minutes, past visits, baselines and months,
// projects with past cycles; then the next month live. The reports equal those of the same history
// entered live." The story (onboarding-story.ts): LIVE lives the seed year step by step; ONBOARDED
// enters the same history in one sitting in July with the past-dated commands; then August runs live
// in both, and every report is compared here. People at meetings and credit hours:
// onboarding-people.e2e.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SeedIds } from '../test-fixtures/seed-year';
import { LIVE, normalised, ONBOARDED, ONBOARDING_AT, onboardingSteps, runStory, type Story } from './onboarding-story';

let story: Story;
beforeAll(async () => {
  story = await runStory();
}, 180_000);
afterAll(async () => {
  await story?.close();
});

async function read(ids: SeedIds, path: string): Promise<unknown> {
  const url = path.replaceAll('{c}', ids.collaborative).replaceAll('{cohort1}', ids.cohort1).replaceAll('{cohort2}', ids.cohort2).replaceAll('{agency1}', ids.agency1);
  const res = await story.t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${story.t.adminKey}` } });
  expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
  return res.json();
}
const same = async (path: string) => {
  const [live, onboarded] = [await read(LIVE, path), await read(ONBOARDED, path)];
  expect({ path, read: normalised(onboarded) }).toEqual({ path, read: normalised(live) });
  return live as any;
};

describe('issue 16: a collaborative six months in, onboarded with its past, then a month live', () => {
  it('issue 16: the onboarding entered the past with past-dated commands (held meetings and visits, a project with startedOn)', () => {
    const commands = onboardingSteps(ONBOARDED).map((s) => s.command);
    expect(commands).toEqual(expect.arrayContaining(['RecordHeldMeeting', 'RecordHeldSiteVisit', 'RecordBaseline', 'RecordMonthlyMeasures', 'StartChangeProject', 'LogPDSACycle']));
    expect(commands).not.toContain('ScheduleMeeting');
    expect(new Set(onboardingSteps(ONBOARDED).map((s) => s.at))).toEqual(new Set([ONBOARDING_AT]));
  });

  it('issue 16: progress of each cohort and the agency page are the same', async () => {
    const progress = await same('/v1/collaboratives/{c}/cohorts/{cohort1}/progress');
    expect(progress.items.find((a: { agencyId: string }) => a.agencyId === LIVE.agency1)).toMatchObject({ monthsReported: ['2025-03', '2025-04', '2025-05', '2025-06', '2025-07'], lastSiteVisitOn: '2025-04-15' });
    await same('/v1/collaboratives/{c}/cohorts/{cohort2}/progress');
    await same('/v1/collaboratives/{c}/agencies/{agency1}');
  });

  it('issue 16: the aggregate report (collaborative and cohort), every measure report and the exports are the same', async () => {
    const report = await same('/v1/collaboratives/{c}/reports/aggregate');
    expect(report.months).toEqual(['2025-03', '2025-04', '2025-05', '2025-06', '2025-07']);
    await same('/v1/collaboratives/{c}/reports/aggregate?cohortId={cohort1}');
    const catalogue = (await read(LIVE, '/v1/collaboratives/{c}/catalogue')) as { measures: { id: string; type: string }[] };
    for (const m of catalogue.measures.filter((x) => x.type !== 'text')) await same(`/v1/collaboratives/{c}/measures/${m.id}/report`);
    // The state-IT exports too (their position, the feed's, is when it was recorded).
    await same('/v1/exports/collaboratives/{c}/monthly-report');
    await same('/v1/exports/collaboratives/{c}/measures-report');
  });

  it('issue 16: meetings with attendance per agency and minutes, site visits, the calendar and the attendance rates are the same', async () => {
    const meetings = await same('/v1/collaboratives/{c}/meetings');
    expect(meetings.items.map((m: { startsAt: string; presentCount: number }) => [m.startsAt, m.presentCount])).toEqual([['2025-03-03T15:00:00Z', 1], ['2025-05-06T15:00:00Z', 2], ['2025-08-06T15:00:00Z', 2]]);
    await same('/v1/collaboratives/{c}/site-visits');
    await same('/v1/collaboratives/{c}/calendar?from=2025-01-01T00:00:00Z&to=2025-12-31T00:00:00Z');
  });

  it('issue 16: applications keep the day they arrived (submittedOn)', async () => {
    // submittedAt of an application is its business date: compared by day (scoredAt is a recording time).
    const days = (r: any) => normalised(r.items.map((a: { submittedAt: string }) => ({ ...a, arrivedOn: a.submittedAt.slice(0, 10) })));
    const live = days(await read(LIVE, '/v1/collaboratives/{c}/applications')) as { arrivedOn: string }[];
    expect(days(await read(ONBOARDED, '/v1/collaboratives/{c}/applications'))).toEqual(live);
    expect(live.map((a) => a.arrivedOn).sort()).toEqual(['2025-01-15', '2025-01-16', '2025-06-20']);
  });

  it('issue 16: change projects with their past cycles are the same', async () => {
    const projects = await same('/v1/collaboratives/{c}/change-projects');
    expect(projects.items).toHaveLength(1);
    expect(projects.items[0]).toMatchObject({ startedAt: '2025-03-05T09:00:00.000Z', status: 'completed' }); // live: the command's time
  });
});
