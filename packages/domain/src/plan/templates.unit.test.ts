import { describe, expect, it } from '@jest/globals';
import { A1, A2, C1 } from '../shared/fixtures';
import { planEntries, type PlanEntryData } from './templates';

// The month-by-month plan, written out: plan month, day of that month, step, kind, audience, and the
// date (time for meetings and visits, UTC) for a plan starting on 2025-01-01.
const row = (e: PlanEntryData) =>
  [String(e.offset.month).padStart(2), String(e.offset.day).padStart(2), e.step.replace(A1, 'A1').replace(A2, 'A2'), e.kind, e.audience, e.startsAt ?? (e.endsOn ? `${e.date}..${e.endsOn}` : e.date)].join(' | ');

const monthly = { monthly: true, quarterly: false };

describe('plan templates', () => {
  it('niatx-year: the NIATx learning-collaborative year month by month', () => {
    const entries = planEntries({ collaborativeId: C1, template: 'niatx-year', startsOn: '2025-01-01', endsOn: '2025-12-31', agencyIds: [A1], cadences: monthly });
    expect(entries.map(row)).toEqual([
      ' 1 |  1 | introductory | introductory | applicants | 2025-01-01T16:00:00.000Z',
      ' 1 | 22 | orientation | orientation | change_teams | 2025-01-22T16:00:00.000Z',
      ' 2 |  1 | baseline-window | baseline_window | agency | 2025-02-01..2025-03-31',
      ' 2 |  8 | visit-02/A1 | site_visit | agency | 2025-02-08T14:00:00.000Z',
      ' 3 |  8 | visit-03/A1 | site_visit | agency | 2025-03-08T14:00:00.000Z',
      ' 4 |  1 | walk-through-due | walk_through_due | agency | 2025-04-01',
      ' 4 | 15 | kick-off | kick_off_learning_session | change_teams | 2025-04-15T16:00:00.000Z',
      ' 5 |  8 | visit-05/A1 | site_visit | agency | 2025-05-08T14:00:00.000Z',
      ' 5 | 10 | data-01 | data_due | agency | 2025-05-10',
      ' 5 | 15 | call-05 | regular_call | change_teams | 2025-05-15T16:00:00.000Z',
      ' 6 | 10 | data-02 | data_due | agency | 2025-06-10',
      ' 6 | 15 | call-06 | regular_call | change_teams | 2025-06-15T16:00:00.000Z',
      ' 7 |  8 | visit-07/A1 | site_visit | agency | 2025-07-08T14:00:00.000Z',
      ' 7 | 10 | data-03 | data_due | agency | 2025-07-10',
      ' 7 | 15 | call-07 | regular_call | change_teams | 2025-07-15T16:00:00.000Z',
      ' 8 | 10 | data-04 | data_due | agency | 2025-08-10',
      ' 8 | 15 | change-leader-meeting | change_leader_meeting | change_leaders | 2025-08-15T16:00:00.000Z',
      ' 9 | 10 | data-05 | data_due | agency | 2025-09-10',
      ' 9 | 15 | call-09 | regular_call | change_teams | 2025-09-15T16:00:00.000Z',
      '10 |  8 | visit-10/A1 | site_visit | agency | 2025-10-08T14:00:00.000Z',
      '10 | 10 | data-06 | data_due | agency | 2025-10-10',
      '10 | 15 | call-10 | regular_call | change_teams | 2025-10-15T16:00:00.000Z',
      '11 | 10 | data-07 | data_due | agency | 2025-11-10',
      '11 | 15 | call-11 | regular_call | change_teams | 2025-11-15T16:00:00.000Z',
      '12 |  1 | completion-conference | completion_conference | change_teams | 2025-12-01T16:00:00.000Z',
      '12 | 10 | data-08 | data_due | agency | 2025-12-10',
      '13 | 10 | data-09 | data_due | agency | 2026-01-10',
    ]);
    // Data due for the months after the baseline window, April to December, by the shared data-due rules.
    expect(entries.filter((e) => e.kind === 'data_due').map((e) => e.period)).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    // What is due before each meeting travels with it.
    expect(entries.find((e) => e.step === 'kick-off')).toMatchObject({ modality: 'in_person', durationMinutes: 420, preparation: ['Baseline data recorded', 'Walk-through submitted', 'Storyboard of the agency and its aim'] });
    expect(entries.find((e) => e.step === 'orientation')?.preparation[0]).toBe('Name the change team: Executive Sponsor and Change Leader');
  });

  it('niatx-year: a site visit per agency in each visit month, tapering (1, 2, 2, 3 months apart)', () => {
    const entries = planEntries({ collaborativeId: C1, template: 'niatx-year', startsOn: '2025-03-01', endsOn: '2026-06-30', agencyIds: [A1, A2], cadences: monthly });
    const visits = (a: string) => entries.filter((e) => e.kind === 'site_visit' && e.agencyId === a).map((e) => e.date);
    expect(visits(A1)).toEqual(['2025-04-08', '2025-05-08', '2025-07-08', '2025-09-08', '2025-12-08']);
    expect(visits(A2)).toEqual(visits(A1));
    // Ids are derived from the collaborative, scope and step: the same plan proposes the same ids.
    const again = planEntries({ collaborativeId: C1, template: 'niatx-year', startsOn: '2025-03-01', endsOn: '2026-06-30', agencyIds: [A1, A2], cadences: monthly });
    expect(again.map((e) => e.entryId)).toEqual(entries.map((e) => e.entryId));
    expect(new Set(entries.map((e) => e.entryId)).size).toBe(entries.length);
  });

  it('niatx-year: nothing is proposed after the collaborative ends, and a cohort gets ids of its own', () => {
    const short = planEntries({ collaborativeId: C1, template: 'niatx-year', startsOn: '2025-01-01', endsOn: '2025-06-30', agencyIds: [A1], cadences: monthly });
    expect(short.filter((e) => e.kind !== 'data_due').every((e) => e.date <= '2025-06-30')).toBe(true);
    // The completion conference closes a shorter collaborative on its last day.
    expect(short.filter((e) => e.startsAt && e.kind !== 'site_visit').map((e) => `${e.step} ${e.startsAt}`).slice(-2)).toEqual(['call-06 2025-06-15T16:00:00.000Z', 'completion-conference 2025-06-30T16:00:00.000Z']);
    const cohort = planEntries({ collaborativeId: C1, cohortId: A2, template: 'niatx-year', startsOn: '2025-01-01', endsOn: '2025-06-30', agencyIds: [A1], cadences: monthly });
    expect(cohort[0]?.entryId).not.toBe(short[0]?.entryId);
  });

  it('niatx-network-quarterly (24 months): quarterly calls, the Change Leader meeting two thirds in, quarterly data', () => {
    const entries = planEntries({ collaborativeId: C1, template: 'niatx-network-quarterly', startsOn: '2025-01-01', endsOn: '2026-12-31', agencyIds: [A1], cadences: { monthly: false, quarterly: true } });
    expect(entries.filter((e) => e.kind !== 'data_due').map(row)).toEqual([
      ' 1 |  1 | introductory | introductory | applicants | 2025-01-01T16:00:00.000Z',
      ' 1 | 22 | orientation | orientation | change_teams | 2025-01-22T16:00:00.000Z',
      ' 2 |  1 | baseline-window | baseline_window | agency | 2025-02-01..2025-03-31',
      ' 2 |  8 | visit-02/A1 | site_visit | agency | 2025-02-08T14:00:00.000Z',
      ' 4 |  1 | walk-through-due | walk_through_due | agency | 2025-04-01',
      ' 4 | 15 | kick-off | kick_off_learning_session | change_teams | 2025-04-15T16:00:00.000Z',
      ' 5 |  8 | visit-05/A1 | site_visit | agency | 2025-05-08T14:00:00.000Z',
      ' 7 | 15 | call-07 | regular_call | change_teams | 2025-07-15T16:00:00.000Z',
      ' 8 |  8 | visit-08/A1 | site_visit | agency | 2025-08-08T14:00:00.000Z',
      '10 | 15 | call-10 | regular_call | change_teams | 2025-10-15T16:00:00.000Z',
      '12 |  8 | visit-12/A1 | site_visit | agency | 2025-12-08T14:00:00.000Z',
      '13 | 15 | call-13 | regular_call | change_teams | 2026-01-15T16:00:00.000Z',
      '16 | 15 | change-leader-meeting | change_leader_meeting | change_leaders | 2026-04-15T16:00:00.000Z',
      '18 |  8 | visit-18/A1 | site_visit | agency | 2026-06-08T14:00:00.000Z',
      '19 | 15 | call-19 | regular_call | change_teams | 2026-07-15T16:00:00.000Z',
      '22 | 15 | call-22 | regular_call | change_teams | 2026-10-15T16:00:00.000Z',
      '24 |  1 | completion-conference | completion_conference | change_teams | 2026-12-01T16:00:00.000Z',
    ]);
    expect(entries.filter((e) => e.kind === 'data_due').map((e) => `${e.period} ${e.date}`)).toEqual([
      '2025-Q2 2025-07-10', '2025-Q3 2025-10-10', '2025-Q4 2026-01-10', '2026-Q1 2026-04-10', '2026-Q2 2026-07-10', '2026-Q3 2026-10-10', '2026-Q4 2027-01-10',
    ]);
  });

  it('niatx-network-quarterly (18 months): the plan fits the collaborative', () => {
    const entries = planEntries({ collaborativeId: C1, template: 'niatx-network-quarterly', startsOn: '2025-01-01', endsOn: '2026-06-30', agencyIds: [A1], cadences: monthly });
    const meetings = entries.filter((e) => e.startsAt && e.kind !== 'site_visit').map((e) => `${e.offset.month} ${e.step}`);
    expect(meetings).toEqual(['1 introductory', '1 orientation', '4 kick-off', '7 call-07', '10 call-10', '12 change-leader-meeting', '13 call-13', '16 call-16', '18 completion-conference']);
    expect(entries.filter((e) => e.kind === 'site_visit').map((e) => e.offset.month)).toEqual([2, 5, 8, 12]);
  });

  it('a start on the 31st keeps to the last day of shorter months', () => {
    const entries = planEntries({ collaborativeId: C1, template: 'niatx-year', startsOn: '2025-01-31', endsOn: '2026-06-30', agencyIds: [], cadences: monthly });
    expect(entries.find((e) => e.step === 'baseline-window')).toMatchObject({ date: '2025-02-28', endsOn: '2025-04-29' });
  });
});
