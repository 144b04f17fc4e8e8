// Deterministic delivery keys: the scheduled_deliveries primary key, the BullMQ job id (no ':')
// and the idempotency key of the delivery event.

/** 2025-07-01T14:00:00.000Z -> 20250701T140000Z */
export const compactTime = (iso: string | Date): string =>
  (typeof iso === 'string' ? new Date(iso) : iso).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

export const offsetLabel = (minutes: number): string =>
  minutes % 1440 === 0 ? `${minutes / 1440}d` : minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;

export const deliveryKeys = {
  meetingReminder: (meetingId: string, offsetMinutes: number, startsAt: string, agencyId: string) =>
    `meeting-${meetingId}-reminder-${offsetLabel(offsetMinutes)}-${compactTime(startsAt)}-${agencyId}`,
  minutes: (meetingId: string, agencyId: string) => `meeting-${meetingId}-minutes-${agencyId}`,
  /** One per correction (its version in the meeting's stream) and agency. */
  minutesCorrection: (meetingId: string, version: number, agencyId: string) => `meeting-${meetingId}-minutes-correction-v${version}-${agencyId}`,
  siteVisitSummary: (visitId: string) => `sitevisit-${visitId}-summary`,
  followUp: (meetingId: string, agencyId: string) => `meeting-${meetingId}-followup-${agencyId}`,
  siteVisitReminder: (visitId: string, offsetMinutes: number, scheduledAt: string) =>
    `sitevisit-${visitId}-reminder-${offsetLabel(offsetMinutes)}-${compactTime(scheduledAt)}`,
  dataDue: (collaborativeId: string, agencyId: string, sendOn: string) =>
    `datadue-${collaborativeId}_${agencyId}-${sendOn.replace(/-/g, '')}`,
  dataDigest: (collaborativeId: string, sendOn: string) => `datadigest-${collaborativeId}-${sendOn.replace(/-/g, '')}`,
};

/** A message kind's name (kinds/<kind>.ts; startWorkers wires the list). */
export type DeliveryKind = string;
