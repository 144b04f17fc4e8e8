// The in-memory port's half of noNewStreams (no-new-streams.int.test.ts has the PostgreSQL one): a
// meeting scheduled outside the new dates just before a date correction's append makes the
// correction decide again and refuse, naming the meeting.
import { describe, expect, it } from '@jest/globals';
import { C1, launchData } from '../shared/fixtures';
import { DomainError } from '../shared/errors';
import { executeCommand } from './execute';
import { RacingStore } from './racing-store';

const meta = (now: string) => ({ now, actorId: 'u', actorRole: 'admin', correlationId: 'c' });
const MEETING = '00000000-0000-7000-8000-0000000000e1';
const AGENCY = '00000000-0000-7000-8000-0000000000e2';
const schedule = {
  meetingId: MEETING, collaborativeId: C1, kind: 'regular_call', modality: 'video', callIn: 'https://call', durationMinutes: 60, agenda: 'Agenda',
  invitedAgencyIds: [AGENCY], startsAt: '2026-05-04T15:00:00Z',
};

/** A store where the meeting lands just before the correction's append (after its query). */
const racingStore = () =>
  new RacingStore('CorrectCollaborativeDates', (store) => executeCommand(store, { type: 'ScheduleMeeting', data: schedule }, meta('2025-01-10T10:00:00Z'), { cache: false }));

describe('a date correction racing a new meeting outside the new dates', () => {
  it('is decided again and refused, naming the meeting scheduled meanwhile', async () => {
    const store = racingStore();
    await executeCommand(store, { type: 'LaunchCollaborative', data: launchData }, meta('2025-01-10T10:00:00Z'));
    await executeCommand(store, { type: 'SubmitApplication', data: { collaborativeId: C1, agencyId: AGENCY, agencyName: 'A', contact: { name: 'S', email: 's@example.org' }, proposal: 'p' } }, meta('2025-01-10T10:00:00Z'));
    const endsOn = '2026-04-30';
    expect(schedule.startsAt > endsOn && launchData.endsOn > schedule.startsAt.slice(0, 10)).toBe(true);
    const refused: unknown = await executeCommand(store, { type: 'CorrectCollaborativeDates', data: { collaborativeId: C1, startsOn: launchData.startsOn, endsOn, reason: 'Shortened' } }, meta('2025-01-10T10:00:00Z')).catch((e: unknown) => e);
    expect(store.raced).toBe(true);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('record_outside_dates');
    expect((refused as DomainError).message).toContain(MEETING);
    const { events } = await store.readStream(`collaborative-${C1}`);
    expect(events.map((e) => e.type)).not.toContain('CollaborativeDatesCorrected');
  });
});
