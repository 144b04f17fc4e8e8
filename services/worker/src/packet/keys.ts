// The packet's deterministic names (issue 18): the generation row and each Change Leader's notice
// (scheduled_deliveries keys, BullMQ job ids, the notice's idempotency key), and the documents'
// ids, so that a retried job finds what an earlier attempt stored instead of storing it twice.
import { v5 as uuidv5 } from 'uuid';

// A fixed namespace for the packet documents' name-based (v5) ids.
const NAMESPACE = '7b0f3a52-2a35-5d6e-9a51-1f0e8c6d4a10';

export const PACKET_KIND = 'meeting-packet' as const;
export const PACKET_NOTICE_KIND = 'packet-notice' as const;

export const packetKeys = {
  generate: (meetingId: string, packetId: string) => `meeting-${meetingId}-packet-${packetId}`,
  notice: (packetId: string, agencyId: string) => `packet-${packetId}-notice-${agencyId}`,
};

/** The document of one agency's packet, or (agencyId null) of the aggregate packet. */
export const packetDocumentId = (packetId: string, agencyId: string | null) => uuidv5(`${packetId}/${agencyId ?? 'aggregate'}`, NAMESPACE);
