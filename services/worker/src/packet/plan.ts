// Planning (issue 18): a MeetingPacketRequested becomes one generation row, due at once; the job
// (job.ts) renders and stores the packets and then plans one notice per Change Leader.
import type { RecordedEvent } from '@convene/eventstore';
import { eventTime, insertRows } from '../planner-rows';
import type { Db } from '../types';
import { PACKET_KIND, packetKeys } from './keys';

export const packetPlannedEventTypes = ['MeetingPacketRequested'];

export async function planPacket(c: Db, e: RecordedEvent): Promise<void> {
  if (e.type !== 'MeetingPacketRequested') return;
  const d = e.data as { meetingId: string; collaborativeId: string; packetId: string; agencyIds: string[] };
  await insertRows(c, [{
    key: packetKeys.generate(d.meetingId, d.packetId),
    kind: PACKET_KIND,
    collaborativeId: d.collaborativeId,
    subjectId: d.meetingId,
    dueAt: eventTime(e),
    payload: { meetingId: d.meetingId, packetId: d.packetId, agencyIds: d.agencyIds, requestedAt: eventTime(e).toISOString(), position: e.globalPosition },
  }], e);
}
