import { createHash } from 'node:crypto';
import { ERASED_EMAIL } from '@convene/domain';
import type { Recipient as R } from './types';
import { kindName, whyLine } from './render';
import { roleLabel } from './read-models';
import { STAKEHOLDER_KINDS } from './network-reader';
import type { MeetingDetails } from './subjects';
import type { AgencyLeaders, ComposeContext, DeliveryRow, PlanContext, PlannedRow, Recipient } from './types';
import type { Db } from '../types';

// Issue 16: a meeting invites people and audiences, not only agencies. Its agencies keep their
// rows (one message per agency to its Change Leader and Executive Sponsor, keyed by the agency);
// everyone else is reached through one "people" row per message, planned beside them. When that
// row is due it fans out (processor.ts): who the meeting reaches is resolved then, from the read
// models (people invited or registered, the organisations invited beyond the agencies, the
// members of each audience), leaving out whoever an agency row reaches, one row per person keyed
// by the message and the person (ON CONFLICT DO NOTHING: a second fan-out adds nobody twice).
// Each person's row resolves the same set again when sent and takes its own entry: no name or
// address is stored in a row, and a person erased or removed in between gets nothing.

type Data = Record<string, any>;

/** Whether a MeetingScheduled (or MeetingProgrammeSet) names invitees beyond the agencies planned per agency. */
export function invitesOthers(d: Data): boolean {
  const agencies = new Set<string>(d.invitedAgencyIds ?? []);
  const speakers = [...(d.facilitators ?? []), ...(d.presenters ?? [])] as { personId?: string }[];
  return (
    (d.invitedPersonIds ?? []).length > 0 ||
    (d.audiences ?? []).length > 0 ||
    (d.invitedOrganisationIds ?? []).some((o: string) => !agencies.has(o)) ||
    speakers.some((s) => s.personId)
  );
}

/** The people row of a message ("<base>-people") and each person's row ("<base>-p-<person>"). */
export const peopleKeys = {
  fanOut: (base: string) => `${base}-people`,
  person: (base: string, personKey: string) => `${base}-p-${personKey}`,
};

/** A person's key in delivery keys: the person id, else a digest of the address (no address in keys). */
const personKey = (r: { personId?: string; email: string }) => r.personId ?? `e${createHash('sha256').update(r.email.toLowerCase()).digest('hex').slice(0, 20)}`;

export interface MeetingPerson {
  key: string;
  recipient: Recipient;
  /** Every way the person is reached ("Change Leader of Agency 2", "presenter at the learning session"). */
  as: string[];
}

/** Everyone a meeting reaches beyond its agency rows, once per address, with every way they are reached. */
export async function meetingPeople(ctx: ComposeContext, collaborativeId: string, m: MeetingDetails): Promise<MeetingPerson[]> {
  const meeting = kindName(m.kind).toLowerCase();
  const found: Recipient[] = [];
  const leadersOf = async (collab: string, agencyId: string, suffix = '') =>
    (await ctx.directory.agency(collab, agencyId)).leaders.map((r) => ({ ...r, as: r.as + suffix }));

  // Invited and registered people, and the people among the speakers: their contact from the network.
  const ids = [...new Set([...m.persons, ...m.registered, ...Object.keys(m.speakers)])];
  if (ids.length > 0) {
    for (const p of await ctx.network.people({ personIds: ids })) {
      const speaker = m.speakers[p.personId];
      const as = speaker
        ? `${speaker} of the ${meeting}`
        : m.persons.includes(p.personId)
          ? `guest invited to the ${meeting}`
          : `person registered for the ${meeting}`;
      found.push({ personId: p.personId, name: p.name, email: p.email, role: speaker ?? 'guest', as });
    }
  }
  // Organisations invited beyond the planned agencies: an admitted agency's leaders, else the organisation's registered people.
  const admitted = await ctx.directory.agencies(collaborativeId);
  for (const orgId of m.organisations) {
    if (admitted.some((a) => a.agencyId === orgId)) found.push(...(await leadersOf(collaborativeId, orgId)));
    else
      for (const p of await ctx.network.people({ organisationIds: [orgId] }))
        found.push({ personId: p.personId, name: p.name, email: p.email, role: 'organisation_member', as: `member of ${p.organisationName ?? 'an invited organisation'}` });
  }
  for (const a of m.audiences) {
    if (a.type === 'all_change_leaders' || a.type === 'all_executive_sponsors') {
      const role = a.type === 'all_change_leaders' ? 'change_leader' : 'executive_sponsor';
      const rows = await ctx.directory.people(collaborativeId, { kinds: ['agency_role'], roles: [role], agencyIds: admitted.map((x) => x.agencyId) });
      for (const p of rows) {
        const agency = admitted.find((x) => x.agencyId === p.agency_id)?.agencyName ?? 'your agency';
        if (p.email) found.push({ ...(p.person_id ? { personId: p.person_id } : {}), name: p.name ?? '', email: p.email, role, as: `${roleLabel(role)} of ${agency}` });
      }
    } else if (a.type === 'cohort') {
      for (const x of admitted.filter((y) => y.cohortId === a.cohortId)) found.push(...(await leadersOf(collaborativeId, x.agencyId)));
    } else if (a.type === 'mentors') {
      for (const mentor of await ctx.network.mentors(collaborativeId)) found.push(...(await leadersOf(mentor.collaborativeId, mentor.agencyId, ' (peer mentor)')));
    } else if (a.type === 'stakeholders') {
      for (const p of await ctx.directory.people(collaborativeId, { kinds: ['convener', 'staff'] }))
        if (p.email) found.push({ ...(p.person_id ? { personId: p.person_id } : {}), name: p.name ?? '', email: p.email, role: p.role, as: roleLabel(p.role) });
      for (const p of await ctx.network.people({ organisationKinds: STAKEHOLDER_KINDS }))
        found.push({ personId: p.personId, name: p.name, email: p.email, role: 'stakeholder', as: `stakeholder of ${p.organisationName ?? 'a partner organisation'}` });
    }
  }

  // Whoever an agency row reaches gets the message there, once.
  const covered = new Set<string>();
  for (const agencyId of m.invited) for (const r of await leadersOf(collaborativeId, agencyId)) covered.add(r.email.toLowerCase());
  const byAddress = new Map<string, MeetingPerson>();
  for (const r of found) {
    const address = r.email.toLowerCase();
    // An erased person's placeholder is no address (the read models are rebuilt after an erasure).
    if (covered.has(address) || r.email === ERASED_EMAIL) continue;
    const seen = byAddress.get(address);
    if (seen) {
      if (!seen.as.includes(r.as)) seen.as.push(r.as);
      if (!seen.recipient.personId && r.personId) seen.recipient = { ...seen.recipient, personId: r.personId };
    } else byAddress.set(address, { key: '', recipient: r, as: [r.as] });
  }
  // Keys are computed once the person id (if any way knows one) is settled.
  return [...byAddress.values()].map((p) => ({ ...p, key: personKey(p.recipient) }));
}

/** The rows a people row fans out to: one per person, due now, the people row's payload with the person's key. */
export async function fanOutRows(ctx: ComposeContext, row: DeliveryRow, m: MeetingDetails): Promise<PlannedRow[]> {
  const base = row.key.replace(/-people$/, '');
  const { fanOut: _fanOut, ...payload } = row.payload;
  return (await meetingPeople(ctx, row.collaborative_id, m)).map((p) => ({
    key: peopleKeys.person(base, p.key),
    kind: row.kind,
    collaborativeId: row.collaborative_id,
    subjectId: row.subject_id,
    dueAt: ctx.clock(),
    payload: { ...payload, person: p.key },
  }));
}

/** The one person a person's row goes to, resolved now (null: no longer reached). */
export async function personOf(ctx: ComposeContext, row: DeliveryRow, m: MeetingDetails): Promise<{ recipient: R; why: string; dear: string } | null> {
  const p = (await meetingPeople(ctx, row.collaborative_id, m)).find((x) => x.key === row.payload.person);
  if (!p) return null;
  const collab = await ctx.directory.collaborative(row.collaborative_id);
  return { recipient: { ...p.recipient, as: p.as.join(', ') }, why: whyLine(p.as.map((as) => ({ ...p.recipient, as })), collab.name), dear: `Dear ${p.recipient.name || 'colleague'},` };
}

/** Whom a meeting message row goes to: its agency's leaders, or the one person of a person's row. */
export async function addressee(ctx: ComposeContext, row: DeliveryRow, m: MeetingDetails): Promise<AgencyLeaders | null> {
  if (typeof row.payload.person !== 'string') return ctx.directory.agency(row.collaborative_id, row.payload.agencyId);
  const p = await personOf(ctx, row, m);
  return p ? { agencyName: '', leaders: [p.recipient], dear: p.dear, why: p.why } : null;
}

/** The agencies a meeting invites, as the planner's bookkeeping has them (worker_meetings). */
export async function invitedAgencies(db: Db, meetingId: string): Promise<string[]> {
  const { rows } = await db.query<{ invited: string[] }>('SELECT invited FROM worker_meetings WHERE meeting_id = $1', [meetingId]);
  return rows[0]?.invited ?? [];
}

/** Plans a meeting message's people row when the meeting has invitees beyond its agencies. */
export async function planPeopleRow(
  ctx: PlanContext,
  meetingId: string,
  row: Omit<PlannedRow, 'key'> & { base: string },
  others?: boolean,
): Promise<void> {
  const has = others ?? (await ctx.db.query<{ others: boolean }>('SELECT others FROM worker_meetings WHERE meeting_id = $1', [meetingId])).rows[0]?.others ?? false;
  if (!has) return;
  const { base, ...rest } = row;
  await ctx.insert([{ ...rest, key: peopleKeys.fanOut(base), payload: { ...rest.payload, fanOut: true } }]);
}
