// A calendar as iCalendar (RFC 5545) with ical-generator: it folds lines, escapes text and writes
// UTC times. Every item keeps its UID across updates (`meeting-<id>@convene`, `sitevisit-<id>@convene`
// as in the worker's mailed invitations, `data-due-<month>@convene`...), SEQUENCE counts its
// reschedules and cancellation, a cancelled one says STATUS:CANCELLED, DTSTAMP is when the stored
// item last changed. Collaboratives have no time zone of their own: times are UTC and the calendar
// says so (X-WR-TIMEZONE:UTC); clients show them in the reader's zone.
import icalModule, { ICalEventStatus } from 'ical-generator';
import type { Calendar, CalendarItem } from '@convene/projections';

// The package's CommonJS build under ESM interop exposes the factory as `default`.
const ical = ((icalModule as unknown as { default?: typeof icalModule }).default ?? icalModule) as typeof icalModule;

const UID_DOMAIN = 'convene';
/** The UIDs and visit length of the worker's mailed invitations (services/worker/src/messages.ts), so a client that got both keeps one event. */
const uidOf = (item: CalendarItem) => `${item.type === 'site_visit' ? item.id.replace(/^site-visit-/, 'sitevisit-') : item.id}@${UID_DOMAIN}`;
const VISIT_MINUTES = 180;

function describe(item: CalendarItem): string {
  const lines: string[] = [];
  if (item.description) lines.push(item.description);
  if (item.callIn) lines.push(`Call-in: ${item.callIn}`);
  if (item.agencies.length > 0) lines.push(...item.agencies.map((a) => `${a.agencyName}: ${a.met ? 'received' : 'due'}`));
  return lines.join('\n');
}

export function renderICal(calendar: Calendar, name: string, now: Date): string {
  const cal = ical({ name, prodId: { company: 'convene', product: 'calendar', language: 'EN' }, ttl: 60 * 60 });
  cal.x([['X-WR-TIMEZONE', 'UTC']]);
  for (const item of calendar.items) {
    const stamp = item.updatedAt ? new Date(item.updatedAt) : now;
    cal.createEvent({
      id: uidOf(item),
      sequence: item.sequence,
      stamp,
      ...(item.updatedAt ? { lastModified: stamp } : {}),
      start: new Date(item.startsAt),
      ...(item.endsAt ? { end: new Date(item.endsAt) } : item.type === 'site_visit' ? { end: new Date(Date.parse(item.startsAt) + VISIT_MINUTES * 60_000) } : {}),
      allDay: item.allDay,
      summary: item.title,
      description: describe(item) || null,
      location: item.location ?? item.callIn ?? null,
      status: item.status === 'cancelled' ? ICalEventStatus.CANCELLED : item.allDay ? null : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}
