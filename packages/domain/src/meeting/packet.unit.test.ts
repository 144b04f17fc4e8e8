// Issue 18: asking for a meeting's packet.
import { describe, it } from '@jest/globals';
import { A1, A2, C1, M1, NOW, closedCollab, openCollab } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { MeetingContext } from './decide';
import type { MeetingEvent } from './events';
import { meeting } from './index';

const ctx: MeetingContext = { now: NOW, collaborative: openCollab };
const ids = { meetingId: M1, collaborativeId: C1 };
const P1 = '0194c000-0000-7000-8000-0000000000a1';
const P2 = '0194c000-0000-7000-8000-0000000000a2';
const scheduled: MeetingEvent = {
  type: 'MeetingScheduled',
  data: { ...ids, kind: 'change_leader_meeting', modality: 'video', startsAt: '2025-06-20T15:00:00.000Z', durationMinutes: 90, callIn: 'https://meet.example/x', agenda: 'Data review', invitedAgencyIds: [A1, A2] },
};
const requested = (packetId: string): MeetingEvent => ({ type: 'MeetingPacketRequested', data: { ...ids, packetId, agencyIds: [A1, A2] } });
const prepare = (packetId: string) => ({ type: 'PrepareMeetingPacket' as const, data: { meetingId: M1, packetId } });

describe('issue 18: the meeting packet', () => {
  it('issue 18: is asked for with the agencies invited then, one packet each', () => given(meeting, [scheduled], ctx).when(prepare(P1)).then([requested(P1)]));
  it('issue 18: may be asked for again as a new packet (the data moved on)', () => given(meeting, [scheduled, requested(P1)], ctx).when(prepare(P2)).then([requested(P2)]));
  it('issue 18: one packet id is requested once', () => given(meeting, [scheduled, requested(P1)], ctx).when(prepare(P1)).thenFails('packet_exists', 'conflict', 'packetId'));
  it('issue 18: not for a cancelled meeting', () =>
    given(meeting, [scheduled, { type: 'MeetingCancelled', data: { ...ids, reason: 'Holiday' } }], ctx).when(prepare(P1)).thenFails('meeting_cancelled', 'conflict'));
  it('issue 18: not for an unknown meeting', () => given(meeting, [], ctx).when(prepare(P1)).thenFails('meeting_not_found', 'not_found'));
  it('issue 18: not in a closed collaborative', () => given(meeting, [scheduled], { ...ctx, collaborative: closedCollab }).when(prepare(P1)).thenFails('collaborative_closed', 'conflict'));
});
