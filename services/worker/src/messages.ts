import escapeHtml from 'escape-html';
import { createEvent } from 'ics';
import type { AgencyDirectory, MeetingDetails, Recipient, VisitDetails } from './directory';
import { offsetLabel } from './keys';

// Message composition: pure functions from resolved details to subject, text, HTML and .ics.

export interface Composed {
  subject: string;
  text: string;
  html: string;
  ics?: string;
  recipients: Recipient[];
}

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-US', { timeZone: 'UTC', dateStyle: 'full', timeStyle: 'short' }) + ' UTC';

const kindName = (kind: string) => kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

const whereLines = (m: { modality: string; location?: string; callIn?: string }) => [
  ...(m.location ? [`Place: ${m.location}`] : []),
  ...(m.callIn ? [`Call-in: ${m.callIn}`] : []),
];

/** Paragraphs of plain text become the text part and an escaped HTML part. */
function render(subject: string, paragraphs: string[]): { text: string; html: string } {
  const text = paragraphs.join('\n\n') + '\n';
  const html = `<!doctype html><html><body><h1>${escapeHtml(subject)}</h1>${paragraphs
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

const meetingIcs = (collaborative: string, m: MeetingDetails) =>
  calendarEvent({
    uid: `meeting-${m.meetingId}@convene`,
    title: `${collaborative}: ${kindName(m.kind)}`,
    startsAt: m.startsAt,
    durationMinutes: m.durationMinutes,
    description: [m.agenda, ...whereLines(m)].join('\n\n'),
    location: m.location ?? m.callIn,
  });

export function meetingReminder(collaborative: string, agency: AgencyDirectory, m: MeetingDetails, offsetMinutes: number): Composed {
  const subject = `Reminder (${offsetLabel(offsetMinutes)}): ${collaborative} ${kindName(m.kind).toLowerCase()} on ${when(m.startsAt)}`;
  const body = render(subject, [
    `Dear ${agency.agencyName} team,`,
    `This is a reminder of the ${kindName(m.kind).toLowerCase()} of ${collaborative} on ${when(m.startsAt)} (${m.durationMinutes} minutes).`,
    ...whereLines(m),
    `Agenda:\n${m.agenda}`,
  ]);
  return { subject, ...body, ics: meetingIcs(collaborative, m), recipients: agency.leaders };
}

export function minutesMessage(collaborative: string, agency: AgencyDirectory, m: MeetingDetails): Composed {
  const subject = `Minutes: ${collaborative} ${kindName(m.kind).toLowerCase()} of ${when(m.startsAt)}`;
  const body = render(subject, [`Dear ${agency.agencyName} team,`, `The minutes of the meeting of ${when(m.startsAt)}:`, m.minutes ?? '']);
  return { subject, ...body, recipients: agency.leaders };
}

export function followUpMessage(collaborative: string, agency: AgencyDirectory, m: MeetingDetails, next: MeetingDetails | null): Composed {
  const subject = `We missed you: ${collaborative} ${kindName(m.kind).toLowerCase()} of ${when(m.startsAt)}`;
  const nextLines = next
    ? [`The next meeting: ${kindName(next.kind)} on ${when(next.startsAt)}.`, ...whereLines(next), `Agenda:\n${next.agenda}`]
    : ['The next meeting has not been scheduled yet; you will hear from us.'];
  const body = render(subject, [
    `Dear ${agency.agencyName} team,`,
    `We missed you at the meeting of ${when(m.startsAt)}. Here are its minutes, so you can catch up:`,
    m.minutes ?? '',
    ...nextLines,
  ]);
  return { subject, ...body, ...(next ? { ics: meetingIcs(collaborative, next) } : {}), recipients: agency.leaders };
}

export function siteVisitReminder(collaborative: string, agency: AgencyDirectory, coach: Recipient | null, v: VisitDetails, offsetMinutes: number): Composed {
  const subject = `Reminder (${offsetLabel(offsetMinutes)}): site visit at ${agency.agencyName} on ${when(v.scheduledAt)}`;
  const body = render(subject, [
    `Dear ${agency.agencyName} team${coach ? ` and ${coach.name}` : ''},`,
    `The ${collaborative} site visit at ${agency.agencyName} is on ${when(v.scheduledAt)}.`,
    `Agenda:\n${v.agenda}`,
  ]);
  const ics = calendarEvent({
    uid: `sitevisit-${v.visitId}@convene`,
    title: `Site visit: ${agency.agencyName}`,
    startsAt: v.scheduledAt,
    durationMinutes: 180,
    description: v.agenda,
  });
  return { subject, ...body, ics, recipients: [...agency.leaders, ...(coach ? [coach] : [])] };
}

/** Months (yyyy-mm) are monthly data, quarters (yyyy-Qn) quarterly (issue 15). */
const cadenceOf = (periods: readonly string[]) => (periods.some((p) => /-Q[1-4]$/.test(p)) ? 'quarterly' : 'monthly');

export function dataDueMessage(collaborative: string, agency: AgencyDirectory, months: string[]): Composed {
  const subject = `${collaborative}: ${cadenceOf(months)} data due for ${months.join(', ')}`;
  const body = render(subject, [
    `Dear ${agency.agencyName} team,`,
    `We have not yet received your ${cadenceOf(months)} measures for ${months.join(', ')}. Please record them as soon as you can; the collaborative's charts are only as good as its data.`,
  ]);
  return { subject, ...body, recipients: agency.leaders };
}

export function dataDigestMessage(collaborative: string, convener: Recipient, missing: { agencyName: string; months: string[] }[]): Composed {
  const cadence = cadenceOf(missing.flatMap((m) => m.months));
  const subject = `${collaborative}: ${missing.length} ${missing.length === 1 ? 'agency is' : 'agencies are'} missing ${cadence} data`;
  const body = render(subject, [
    `Dear ${convener.name},`,
    `These agencies have not recorded their ${cadence} measures yet:`,
    missing.map((m) => `- ${m.agencyName}: ${m.months.join(', ')}`).join('\n'),
  ]);
  return { subject, ...body, recipients: [convener] };
}
