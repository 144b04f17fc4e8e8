// Spread (issue 16): how far process improvement has reached across the convener's network:
// provider organisations known, ever enrolled, completed, mentoring, per collaborative and as of the
// end of each month or quarter. Computed from the network read model at read time (counts only).
import type { Kysely } from 'kysely';
import { withLive } from '../queries';
import { endOf, next, periodOf } from './spread-periods';

type AnyRow = Record<string, any>;
import type { SpreadInterval } from './spread-periods';
export type { SpreadInterval } from './spread-periods';

interface Membership {
  collaborative_id: string; organisation_id: string; status: string; admitted_on: string | null; completed_on: string | null; withdrawn_on: string | null;
  mentor_agency_id: string | null; mentor_collaborative_id: string | null; mentor_assigned_on: string | null;
}

const distinct = (values: (string | null)[]) => new Set(values.filter((v): v is string => v !== null)).size;
const onOrBefore = (date: string | null, end: string) => date !== null && date <= end;

/** Coverage as of a date (the end of a period; '9999-12-31' for now). */
function coverage(providers: { first_seen_on: string | null }[], ms: Membership[], end: string) {
  const enrolled = ms.filter((m) => onOrBefore(m.admitted_on, end));
  const mentored = ms.filter((m) => onOrBefore(m.mentor_assigned_on, end));
  const stillMentored = mentored.filter((m) => m.status !== 'declined' && !onOrBefore(m.completed_on, end) && !onOrBefore(m.withdrawn_on, end));
  return {
    providers: providers.filter((p) => onOrBefore(p.first_seen_on, end)).length,
    everEnrolled: distinct(enrolled.map((m) => m.organisation_id)),
    completed: distinct(ms.filter((m) => onOrBefore(m.completed_on, end)).map((m) => m.organisation_id)),
    mentors: distinct(mentored.map((m) => m.mentor_agency_id)),
    activeMentors: distinct(stillMentored.map((m) => m.mentor_agency_id)),
  };
}

export const MAX_SPREAD_PERIODS = 240;

/**
 * Network coverage: totals now, per collaborative, and cumulative at the end of each period from
 * `from` (default: the first enrolment or first provider seen) to `to` (default: today).
 */
export async function networkSpread(db: Kysely<any>, q: { collaborativeIds: string[] | null; interval: SpreadInterval; from?: string; to?: string; today: string }) {
  return withLive(db, 'network', async (p) => {
    const ids = q.collaborativeIds === null ? null : q.collaborativeIds.length ? q.collaborativeIds : ['-'];
    const [memberships, providerRows, collaboratives] = await Promise.all([
      p.selectFrom('memberships').selectAll().$if(ids !== null, (b) => b.where('collaborative_id', 'in', ids!)).execute(),
      p.selectFrom('organisations').select(['id', 'first_seen_on']).where('kind', '=', 'provider')
        .$if(ids !== null, (b) => b.where((w) => w.exists(w.selectFrom('memberships as m').select('m.id').whereRef('m.organisation_id', '=', 'organisations.id').where('m.collaborative_id', 'in', ids!))))
        .execute(),
      p.selectFrom('collaboratives').selectAll().$if(ids !== null, (b) => b.where('id', 'in', ids!)).orderBy('starts_on').orderBy('id').execute(),
    ]);
    const ms = memberships as unknown as Membership[];
    const providers = providerRows as { first_seen_on: string | null }[];
    const perCollaborative = (collaboratives as AnyRow[]).map((c) => {
      const own = ms.filter((m) => m.collaborative_id === c.id);
      const now = coverage([], own, '9999-12-31');
      return {
        collaborativeId: c.id as string, name: c.name as string, startsOn: c.starts_on as string, endsOn: c.ends_on as string,
        applied: own.length,
        enrolled: now.everEnrolled,
        active: distinct(own.filter((m) => m.status === 'admitted').map((m) => m.organisation_id)),
        completed: now.completed,
        withdrawn: distinct(own.filter((m) => m.status === 'withdrawn').map((m) => m.organisation_id)),
        mentees: own.filter((m) => m.mentor_agency_id !== null).length,
        mentors: now.mentors,
        /** Mentors that went through an earlier collaborative: spread carried forward. */
        mentorsFromEarlierCollaboratives: distinct(own.filter((m) => m.mentor_collaborative_id !== null && m.mentor_collaborative_id !== m.collaborative_id).map((m) => m.mentor_agency_id)),
      };
    });
    const dates = [...ms.map((m) => m.admitted_on), ...providers.map((x) => x.first_seen_on)].filter((d): d is string => !!d).sort();
    const from = periodOf(q.from ?? dates[0] ?? q.today, q.interval);
    const to = periodOf(q.to ?? q.today, q.interval);
    const overTime: ({ period: string; endsOn: string } & ReturnType<typeof coverage>)[] = [];
    for (let period = from; period <= to && overTime.length < MAX_SPREAD_PERIODS; period = next(period)) {
      const end = endOf(period);
      overTime.push({ period, endsOn: end, ...coverage(providers, ms, end) });
    }
    return { interval: q.interval, network: coverage(providers, ms, '9999-12-31'), collaboratives: perCollaborative, overTime };
  });
}
