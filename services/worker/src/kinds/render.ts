import escapeHtml from 'escape-html';
import { createEvent } from 'ics';
import type { Recipient } from './types';

// Rendering shared by every kind: times in the collaborative's zone with the UTC offset, the
// "why you got this" line, plain text and escaped HTML from the same paragraphs, and .ics events.

/**
 * Formatters per time zone, made once: building an Intl.DateTimeFormat (which toLocaleString with
 * options does on every call) loads the zone's and locale's ICU data each time, and a message
 * renders its times for every recipient (issue 13: the costliest function of the worker's own
 * code in its profile). A zone Intl refuses throws as before, and is not kept.
 */
const formatters = new Map<string, { full: Intl.DateTimeFormat; offset: Intl.DateTimeFormat }>();
function formattersOf(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = {
      full: new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'short' }),
      offset: new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }),
    };
    formatters.set(timeZone, f);
  }
  return f;
}

/** "UTC-05:00" for an instant in a zone (Intl's longOffset: "GMT-05:00", or "GMT" at zero). */
export function utcOffset(at: Date, timeZone: string): string {
  const name = formattersOf(timeZone).offset.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? 'UTC+00:00' : name.replace('GMT', 'UTC');
}

/** "Monday, July 1, 2030 at 10:00 AM America/Chicago (UTC-05:00)". */
export function when(iso: string, timeZone = 'UTC'): string {
  const at = new Date(iso);
  return `${formattersOf(timeZone).full.format(at)} ${timeZone} (${utcOffset(at, timeZone)})`;
}

/** "Monday, July 1, 2030" for a business date (date-only fields carry no zone). */
// Made once, as the zones' formatters above (toLocaleDateString with options builds one per call).
const dayFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'full' });
export const day = (isoDate: string) => dayFormat.format(new Date(`${isoDate}T12:00:00Z`));

/** The page where an invitee registers for a meeting (PUBLIC_BASE_URL + the meeting's id). */
export const registrationUrl = (publicBaseUrl: string, meetingId: string) => `${publicBaseUrl.replace(/\/+$/, '')}/meetings/${meetingId}/register`;

export const kindName = (kind: string) => kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export const whereLines = (m: { location?: string; callIn?: string }) => [
  ...(m.location ? [`Place: ${m.location}`] : []),
  ...(m.callIn ? [`Call-in: ${m.callIn}`] : []),
];

/** "You receive this as Change Leader or Executive Sponsor of Agency 1 in Access to Treatment." */
export function whyLine(recipients: Recipient[], collaborative: string): string {
  const as = [...new Set(recipients.map((r) => r.as))];
  const joined = as.length <= 1 ? (as[0] ?? 'a participant') : `${as.slice(0, -1).join(', ')} or ${as[as.length - 1]}`;
  return `Why you got this: you receive this as ${joined} in ${collaborative}.`;
}

/** Paragraphs become the text part and an escaped HTML part; the why line closes both. */
export function render(subject: string, paragraphs: string[], why: string): { text: string; html: string } {
  const all = [...paragraphs, `--\n${why}`];
  const text = all.join('\n\n') + '\n';
  const html = `<!doctype html><html><body><h1>${escapeHtml(subject)}</h1>${all
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')}</body></html>`;
  return { text, html };
}

export function calendarEvent(e: { uid: string; title: string; startsAt: string; durationMinutes: number; description: string; location?: string; sequence?: number; cancelled?: boolean }): string {
  const { error, value } = createEvent({
    uid: e.uid,
    title: e.title,
    start: Date.parse(e.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: e.durationMinutes },
    description: e.description,
    ...(e.location ? { location: e.location } : {}),
    method: 'PUBLISH',
    status: e.cancelled ? 'CANCELLED' : 'CONFIRMED',
    sequence: e.sequence ?? 0,
    productId: 'convene/worker',
  });
  if (error || !value) throw error ?? new Error('could not build the calendar event');
  return value;
}

export const meetingIcs = (collaborative: string, m: { meetingId: string; kind: string; startsAt: string; durationMinutes: number; agenda: string; location?: string; callIn?: string }) =>
  calendarEvent({
    uid: `meeting-${m.meetingId}@convene`,
    title: `${collaborative}: ${kindName(m.kind)}`,
    startsAt: m.startsAt,
    durationMinutes: m.durationMinutes,
    description: [m.agenda, ...whereLines(m)].join('\n\n'),
    location: m.location ?? m.callIn,
  });
