// The Change Leader meeting packet (issue 18): a coach or the convener asks for it; the worker then
// renders a PDF per invited agency and an aggregate one, stores them in the meeting's binder and
// e-mails each Change Leader. The request is the event; each packet has its own id (generated from
// the Idempotency-Key when one is sent), so asking twice with one key prepares one packet.
import { z } from 'zod';
import { conflict } from '../shared/errors';
import { commandSchema, eventSchema, uuid } from '../shared/schemas';
import type { MeetingState } from './state';

export const PrepareMeetingPacket = commandSchema({
  meetingId: uuid,
  packetId: uuid.describe('The packet (generated when left out; from the Idempotency-Key when one is sent)'),
});
/** `agencyIds`: the agencies invited when it was asked for, one packet each (the aggregate packet besides). */
export const MeetingPacketRequested = eventSchema({ meetingId: uuid, collaborativeId: uuid, packetId: uuid, agencyIds: z.array(uuid) });

export type PrepareMeetingPacketData = z.infer<typeof PrepareMeetingPacket>;
export type MeetingPacketRequestedData = z.infer<typeof MeetingPacketRequested>;

/** Any meeting not cancelled, before or after it is held (a packet may follow the meeting's data). */
export function preparePacket(d: PrepareMeetingPacketData, s: Exclude<MeetingState, { status: 'none' }>): { type: 'MeetingPacketRequested'; data: MeetingPacketRequestedData }[] {
  if ((s.packets ?? []).includes(d.packetId)) return conflict('packet_exists', 'This packet was already requested', 'packetId');
  return [{ type: 'MeetingPacketRequested', data: { meetingId: s.meetingId, collaborativeId: s.collaborativeId, packetId: d.packetId, agencyIds: s.invited } }];
}

