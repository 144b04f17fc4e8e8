// Which values of which events are personal, and whose they are. Pure: every process that reads
// events (api, projector, worker) gives it to the event store's crypto-shredding hook
// (packages/eventstore/src/personal-data.ts); see docs/personal-data.md.
import { createHash } from 'node:crypto';

/** One personal value of an event (structurally the event store's PersonalValue). */
export interface PersonalValue {
  path: readonly (string | number)[];
  subjectId: string;
  placeholder: string;
}
export type PersonalDataDescriptor = (eventType: string, data: unknown) => PersonalValue[];

/** What an erased value reads as; each still parses under the event's zod schema. */
export const ERASED_NAME = '[erased]';
export const ERASED_EMAIL = 'erased@erased.invalid';
export const ERASED_TEXT = '[erased]';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
export const normalizeName = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
export const normalizeEmail = (email: string) => email.normalize('NFKC').trim().toLowerCase();

export const subjectIds = {
  person: (personId: string) => `person:${personId.toLowerCase()}`,
  /** Free text with no named author: the collaborative's key (erased with the collaborative's free text). */
  collaborative: (collaborativeId: string) => `collaborative:${collaborativeId.toLowerCase()}`,
  email: (email: string) => `email:${sha256(normalizeEmail(email))}`,
  name: (name: string) => `name:${sha256(normalizeName(name))}`,
};

/** The subjects an erasure request names (every identifier given is erased). */
export function subjectsOf(request: {
  personId?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  collaborativeId?: string | undefined;
}): string[] {
  const ids: string[] = [];
  if (request.collaborativeId) ids.push(subjectIds.collaborative(request.collaborativeId));
  if (request.personId) ids.push(subjectIds.person(request.personId));
  if (request.email) ids.push(subjectIds.email(request.email));
  if (request.name) ids.push(subjectIds.name(request.name));
  return ids;
}

type Path = (string | number)[];
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A `person` {personId, name, email}: its subject is the person id. */
function person(value: unknown, at: Path): PersonalValue[] {
  const p = obj(value);
  const personId = str(p?.personId);
  if (!p || !personId) return [];
  const subjectId = subjectIds.person(personId);
  return [
    { path: [...at, 'name'], subjectId, placeholder: ERASED_NAME },
    { path: [...at, 'email'], subjectId, placeholder: ERASED_EMAIL },
  ];
}

/** A registered person (PersonRegistered, PersonContactChanged): name, e-mail, phone and title, under the person's key. */
function personContact(d: Record<string, unknown>): PersonalValue[] {
  const personId = str(d.personId);
  if (!personId) return [];
  const subjectId = subjectIds.person(personId);
  const placeholders: [string, string][] = [['name', ERASED_NAME], ['email', ERASED_EMAIL], ['phone', ERASED_TEXT], ['title', ERASED_TEXT]];
  return placeholders.filter(([f]) => typeof d[f] === 'string').map(([f, placeholder]) => ({ path: [f], subjectId, placeholder }));
}

/** An application contact {name, email, phone?} has no person id: its subject is the e-mail. */
function contact(value: unknown, at: Path): PersonalValue[] {
  const c = obj(value);
  const email = str(c?.email);
  if (!c || !email) return [];
  const subjectId = subjectIds.email(email);
  return [
    { path: [...at, 'name'], subjectId, placeholder: ERASED_NAME },
    { path: [...at, 'email'], subjectId, placeholder: ERASED_EMAIL },
    ...(c.phone === undefined ? [] : [{ path: [...at, 'phone'], subjectId, placeholder: ERASED_TEXT }]),
  ];
}

/** A bare name (team member, PDSA step owner, meeting attendee): its subject is the name. */
function bareName(value: unknown, at: Path): PersonalValue[] {
  const name = str(value);
  return name ? [{ path: at, subjectId: subjectIds.name(name), placeholder: ERASED_NAME }] : [];
}

/** A delivery recipient {personId?, email, role}: the person's subject, else the e-mail's. */
function recipient(value: unknown, at: Path): PersonalValue[] {
  const r = obj(value);
  const email = str(r?.email);
  if (!r || !email) return [];
  const personId = str(r.personId);
  const subjectId = personId ? subjectIds.person(personId) : subjectIds.email(email);
  return [{ path: [...at, 'email'], subjectId, placeholder: ERASED_EMAIL }];
}

/** A rejected address: a recipient {personId?, email, role} (its person's key), or a bare address from before issue 12. */
function rejectedAddress(value: unknown, at: Path): PersonalValue[] {
  if (typeof value === 'string') return value ? [{ path: at, subjectId: subjectIds.email(value), placeholder: ERASED_EMAIL }] : [];
  return recipient(value, at);
}

/**
 * Free text (issue 12.14) may name people. Sealed whole, under its author's key when the event
 * names the author (a coach's assistance, a reviewer's notes), else under the collaborative's.
 * Erasing the author erases their text; erasing a collaborative's free text (an erasure with
 * collaborativeId) erases the rest. Which fields: docs/personal-data.md.
 */
function freeText(d: Record<string, unknown>, fields: readonly string[], author?: string): PersonalValue[] {
  const authorId = author ? str(d[author]) : undefined;
  const collaborativeId = str(d.collaborativeId);
  const subjectId = authorId ? subjectIds.person(authorId) : collaborativeId ? subjectIds.collaborative(collaborativeId) : undefined;
  if (!subjectId) return [];
  return fields.filter((f) => typeof d[f] === 'string').map((f) => ({ path: [f], subjectId, placeholder: ERASED_TEXT }));
}

/** Per event type, its free-text fields that are personal data, and the field naming their author. */
export const personalFreeText: Record<string, { fields: readonly string[]; author?: string }> = {
  ApplicationScored: { fields: ['notes'], author: 'reviewerId' },
  CoachingNoteRecorded: { fields: ['assistance'], author: 'coachId' },
  WalkThroughSubmitted: { fields: ['findings'] },
  SiteVisitCompleted: { fields: ['summary'] },
  MinutesPublished: { fields: ['minutes'] },
  MinutesCorrected: { fields: ['minutes'] },
  // A file's name and description may name people ("Walk-through, J. Smith.pdf"); the file itself
  // lives in the object store (docs/personal-data.md).
  DocumentAttached: { fields: ['fileName', 'description'] },
  DocumentReplaced: { fields: ['fileName'] },
  DocumentRemoved: { fields: ['reason'] },
  // Issue 16: a mentor's notes on a contact, about the mentee's people: the mentee collaborative's key.
  MentoringContactLogged: { fields: ['notes'] },
};

const each = (list: unknown, at: Path, f: (item: unknown, path: Path) => PersonalValue[]): PersonalValue[] =>
  Array.isArray(list) ? list.flatMap((item, i) => f(item, [...at, i])) : [];

/** Per event type, where the personal values are. Types not listed hold none. */
const byType: Record<string, (d: Record<string, unknown>) => PersonalValue[]> = {
  CollaborativeLaunched: (d) => person(obj(d.convener)?.contact, ['convener', 'contact']),
  SystemRoleAppointed: (d) => person(d.person, ['person']),
  AgencyRoleAssigned: (d) => person(d.person, ['person']),
  // Issue 16: a registered person's contact, under the same `person:<personId>` key as their roles.
  PersonRegistered: (d) => personContact(d),
  PersonContactChanged: (d) => personContact(d),
  ApplicationSubmitted: (d) => contact(d.contact, ['contact']),
  ChangeProjectStarted: (d) => each(d.team, ['team'], (m, at) => bareName(obj(m)?.name, [...at, 'name'])),
  PDSACycleLogged: (d) => each(d.steps, ['steps'], (s, at) => bareName(obj(s)?.who, [...at, 'who'])),
  // What the workers sent, to whom (services/worker/src/delivery-events.ts).
  // Rejected addresses too (issue 12.12): under their person's key when the worker knew the person.
  ReminderSent: (d) => [...each(d.recipients, ['recipients'], recipient), ...each(d.rejected, ['rejected'], rejectedAddress)],
  MinutesSent: (d) => [...each(d.recipients, ['recipients'], recipient), ...each(d.rejected, ['rejected'], rejectedAddress)],
  FollowUpSent: (d) => [...each(d.recipients, ['recipients'], recipient), ...each(d.rejected, ['rejected'], rejectedAddress)],
  AttendanceRecorded: (d) =>
    each(d.attendance, ['attendance'], (a, at) => each(obj(a)?.attendees, [...at, 'attendees'], bareName)),
};

export const personalEventTypes = [...new Set([...Object.keys(byType), ...Object.keys(personalFreeText)])];

export const describePersonalData: PersonalDataDescriptor = (eventType, data) => {
  const describe = byType[eventType];
  const text = personalFreeText[eventType];
  const d = obj(data);
  if (!d) return [];
  return [...(describe ? describe(d) : []), ...(text ? freeText(d, text.fields, text.author) : [])];
};
