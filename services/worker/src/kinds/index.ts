import { announcementKind } from './announcement';
import { dataDigestKind } from './data-digest';
import { dataDueKind } from './data-due';
import { followUpKind } from './follow-up';
import { lateAgainstPlanKind } from './late-against-plan';
import { meetingReminderKind } from './meeting-reminder';
import { minutesKind } from './minutes';
import { minutesCorrectionKind } from './minutes-correction';
import { siteVisitReminderKind } from './site-visit-reminder';
import { siteVisitSummaryKind } from './site-visit-summary';
import type { MessageKind } from './types';
import { packetNoticeKind } from '../packet/notice';

export type { MessageKind, PlanContext, ComposeContext, Composed, DeliveryRow, PlannedRow, Recipient } from './types';
export { directoryReader, ReadModelBehind, roleLabel, type DirectoryReader, type CollaborativeInfo, type AgencyInfo } from './read-models';
export { render, when, whyLine, utcOffset, calendarEvent, meetingIcs, registrationUrl } from './render';
export { meetingDetails, visitDetails, type MeetingDetails, type VisitDetails } from './subjects';

/** Every kind this code sends; startWorkers takes this list unless given another. */
export const defaultKinds: readonly MessageKind[] = [
  meetingReminderKind, minutesKind, minutesCorrectionKind, followUpKind, siteVisitReminderKind, siteVisitSummaryKind, dataDueKind, dataDigestKind, lateAgainstPlanKind, announcementKind,
  packetNoticeKind,
];

/** Kinds by name; a duplicate name is a wiring mistake. */
export function kindRegistry(kinds: readonly MessageKind[]): ReadonlyMap<string, MessageKind> {
  const byName = new Map<string, MessageKind>();
  for (const k of kinds) {
    if (byName.has(k.name)) throw new Error(`message kind ${k.name} is wired twice`);
    byName.set(k.name, k);
  }
  return byName;
}
