import { describe, it, expect } from '@jest/globals';
import { compactTime, deliveryKeys, offsetLabel } from './keys';
import { planDataDue } from './data-due';
import { reminderDueTimes } from './reactor';
import { isPermanentMailError } from './mailer';
import { meetingReminderMessage } from './kinds/meeting-reminder';
import { followUpMessage } from './kinds/follow-up';
import { invitesOthers } from './kinds/meeting-people';
import type { MeetingDetails } from './kinds/subjects';
import { when, whyLine } from './kinds/render';

const collab = { startsOn: '2030-01-01', endsOn: '2030-12-31' };
const settings = { dataDueDay: 10, dataDueRepeatDays: 7 };

describe('delivery keys', () => {
  it('are deterministic and never contain a colon (BullMQ job ids)', () => {
    const key = deliveryKeys.meetingReminder('m1', 7 * 1440, '2030-03-22T15:00:00.000Z', 'a1');
    expect(key).toBe('meeting-m1-reminder-7d-20300322T150000Z-a1');
    expect(key).not.toContain(':');
    expect(compactTime('2030-03-22T15:00:00+02:00')).toBe('20300322T130000Z');
    expect([offsetLabel(90), offsetLabel(120), offsetLabel(1440)]).toEqual(['90m', '2h', '1d']);
    expect(deliveryKeys.dataDue('c', 'a', '2030-02-17')).toBe('datadue-c_a-20300217');
  });
});

describe('reminder due times', () => {
  it('keeps only offsets still ahead of the planning time', () => {
    const due = reminderDueTimes('2030-03-10T15:00:00Z', [7 * 1440, 1440], new Date('2030-03-05T00:00:00Z'));
    expect(due).toEqual([{ offset: 1440, dueAt: new Date('2030-03-09T15:00:00Z') }]);
  });
});

describe('monthly data due', () => {
  const agencies = [
    { agencyId: 'a1', baselineTo: '2029-12', months: ['2030-01'] },
    { agencyId: 'a2', baselineTo: '2029-12', months: [] },
    { agencyId: 'a3', baselineTo: null, months: [] },
  ];
  it('is not due before the due day of the following month', () => {
    expect(planDataDue(collab, agencies, settings, new Date('2030-02-09T23:59:00Z'))).toBeNull();
  });
  it('lists agencies missing months (never before their baseline) and rounds weekly from the due day', () => {
    const first = planDataDue(collab, agencies, settings, new Date('2030-02-10T00:00:00Z'));
    expect(first).toEqual({ sendOn: '2030-02-10', dueAt: new Date('2030-02-10T00:00:00Z'), missing: [{ agencyId: 'a2', months: ['2030-01'] }] });
    expect(planDataDue(collab, agencies, settings, new Date('2030-02-16T23:00:00Z'))?.sendOn).toBe('2030-02-10');
    expect(planDataDue(collab, agencies, settings, new Date('2030-02-17T00:00:00Z'))?.sendOn).toBe('2030-02-17');
    // In March, after the 10th, both January and February are expected.
    const march = planDataDue(collab, agencies, settings, new Date('2030-03-12T00:00:00Z'));
    expect(march?.missing).toEqual([
      { agencyId: 'a1', months: ['2030-02'] },
      { agencyId: 'a2', months: ['2030-01', '2030-02'] },
    ]);
    expect(march?.sendOn).toBe('2030-03-10');
  });
  it('stops at the end of the collaborative and when everything is recorded', () => {
    const done = [{ agencyId: 'a1', baselineTo: '2029-12', months: ['2030-01'] }];
    expect(planDataDue(collab, done, settings, new Date('2030-02-20T00:00:00Z'))).toBeNull();
    const ended = planDataDue({ startsOn: '2030-01-01', endsOn: '2030-01-31' }, agencies, settings, new Date('2030-06-20T00:00:00Z'));
    expect(ended?.missing).toEqual([{ agencyId: 'a2', months: ['2030-01'] }]);
  });
});

describe('mail errors', () => {
  it('treats 5xx as permanent and 4xx or network errors as temporary', () => {
    expect(isPermanentMailError({ responseCode: 550 })).toBe(true);
    expect(isPermanentMailError({ responseCode: 451 })).toBe(false);
    expect(isPermanentMailError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
  });
});

describe('messages', () => {
  const m: MeetingDetails = {
    meetingId: '6f1d2c1e-0000-4000-8000-000000000001', collaborativeId: 'c', kind: 'regular_call', modality: 'phone',
    startsAt: '2030-03-22T15:00:00.000Z', durationMinutes: 60, callIn: '+1 555 0100 #42', agenda: 'Data <review>',
    invited: ['a1'], status: 'scheduled', absent: [], minutes: 'Notes', corrections: [], organisations: [], persons: [], registered: [], audiences: [], speakers: {},
  };
  const agency = { agencyId: 'a1', agencyName: 'Riverside', leaders: [{ name: 'Lee', email: 'lee@example.org', role: 'change_leader', as: 'Change Leader of Riverside' }] };
  const access = { name: 'Access', timeZone: 'UTC' };
  it('a reminder has the call-in, the agenda (escaped in HTML) and an .ics', () => {
    const r = meetingReminderMessage(access, agency, m, 1440, 'https://convene.example.org/meetings/m1/register');
    expect(r.subject).toContain('Reminder (1d)');
    expect(r.text).toContain('+1 555 0100 #42');
    expect(r.html).toContain('Data &lt;review&gt;');
    expect(r.ics).toContain('DTSTART:20300322T150000Z');
    expect(r.recipients).toEqual(agency.leaders);
  });
  it('a follow-up carries the minutes and the next meeting, or says there is none yet', () => {
    expect(followUpMessage(access, agency, m, { ...m, startsAt: '2030-04-22T15:00:00.000Z' }).text).toContain('April 22, 2030');
    expect(followUpMessage(access, agency, m, null).text).toContain('not been scheduled');
  });
});

describe('issue 18: times in the collaborative zone, and why a message came', () => {
  it('states the local time with the UTC offset of that instant (daylight saving included)', () => {
    expect(when('2030-01-15T15:00:00.000Z', 'America/Chicago')).toBe('Tuesday, January 15, 2030 at 9:00 AM America/Chicago (UTC-06:00)');
    expect(when('2030-07-15T15:00:00.000Z', 'America/Chicago')).toBe('Monday, July 15, 2030 at 10:00 AM America/Chicago (UTC-05:00)');
    expect(when('2030-07-15T15:00:00.000Z', 'Asia/Kolkata')).toContain('8:30 PM Asia/Kolkata (UTC+05:30)');
    expect(when('2030-07-15T15:00:00.000Z')).toBe('Monday, July 15, 2030 at 3:00 PM UTC (UTC+00:00)');
  });
  it('names each role the recipients hold', () => {
    const r = (as: string) => ({ name: 'x', email: 'x@example.org', role: 'r', as });
    expect(whyLine([r('Change Leader of Riverside')], 'Access')).toBe('Why you got this: you receive this as Change Leader of Riverside in Access.');
    expect(whyLine([r('Change Leader of Riverside'), r('Executive Sponsor of Riverside'), r('Change Leader of Riverside')], 'Access')).toBe(
      'Why you got this: you receive this as Change Leader of Riverside or Executive Sponsor of Riverside in Access.',
    );
  });
});

describe('issue 16: which meetings plan a people row', () => {
  it('given a meeting of agencies only (as stored before issue 16), no people row; given people, audiences, other organisations or person speakers, one', () => {
    const a = '6f1d2c1e-0000-4000-8000-0000000000a1';
    expect(invitesOthers({ invitedAgencyIds: [a] })).toBe(false);
    expect(invitesOthers({ invitedAgencyIds: [a], invitedOrganisationIds: [a], presenters: [{ agencyId: a }], invitedPersonIds: [], audiences: [] })).toBe(false);
    expect(invitesOthers({ invitedAgencyIds: [a], invitedPersonIds: ['p1'] })).toBe(true);
    expect(invitesOthers({ audiences: [{ type: 'cohort', cohortId: 'c1' }] })).toBe(true);
    expect(invitesOthers({ invitedAgencyIds: [a], invitedOrganisationIds: ['o1'] })).toBe(true);
    expect(invitesOthers({ facilitators: [{ personId: 'p2' }], presenters: [] })).toBe(true);
  });
});
