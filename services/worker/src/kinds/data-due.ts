import { planDataDueDeliveries } from '../data-due';
import { render, whyLine } from './render';
import type { Db } from '../types';
import type { AgencyLeaders, CollabName, MessageKind, Rendered } from './types';

// Data due (time-driven, ../data-due.ts): each agency still missing owed months or quarters gets a
// reminder every `dataDueRepeatDays` from the due date, and the convener a digest (data-digest.ts).

/** Months (yyyy-mm) are monthly data, quarters (yyyy-Qn) quarterly (issue 15). */
export const cadenceOf = (periods: readonly string[]) => (periods.some((p) => /-Q[1-4]$/.test(p)) ? 'quarterly' : 'monthly');

/** The worker's flags of what a collaborative still chases (planner.ts keeps them). */
export interface Owing {
  monthly_data: boolean;
  quarterly_data: boolean;
  closed: boolean;
}
/** Whether a collaborative with these flags still chases the cadence of these periods. */
export const owes = (flags: Owing, periods: readonly string[]) =>
  !flags.closed && (cadenceOf(periods) === 'monthly' ? flags.monthly_data : flags.quarterly_data);

/** The flags of a collaborative; none when the worker never heard of it. */
export async function owingOf(db: Db, collaborativeId: string): Promise<Owing | undefined> {
  const { rows } = await db.query<Owing>('SELECT monthly_data, quarterly_data, closed FROM worker_collaboratives WHERE collaborative_id = $1', [collaborativeId]);
  return rows[0];
}

export function dataDueMessage(collab: CollabName, agency: AgencyLeaders, months: string[]): Rendered {
  const subject = `${collab.name}: ${cadenceOf(months)} data due for ${months.join(', ')}`;
  const body = render(
    subject,
    [
      `Dear ${agency.agencyName} team,`,
      `We have not yet received your ${cadenceOf(months)} measures for ${months.join(', ')}. Please record them as soon as you can; the collaborative's charts are only as good as its data.`,
    ],
    whyLine(agency.leaders, collab.name),
  );
  return { subject, ...body, recipients: agency.leaders };
}

export const dataDueKind: MessageKind = {
  name: 'data-due',
  recordedAs: 'ReminderSent',
  // Plans this kind's rows and the convener's digest of the same round.
  tick: (db, now) => planDataDueDeliveries(db, now),
  async compose(ctx, row) {
    const p = row.payload;
    // With the collaborative's flags: a round planned before its cadence stopped being owed (its
    // measures all retired) or before the collaborative closed is not sent.
    const { rows } = await ctx.pool.query<{ months: string[]; quarters: string[]; active: boolean } & Owing>(
      `SELECT a.months, a.quarters, a.active, c.monthly_data, c.quarterly_data, c.closed
         FROM worker_agencies a JOIN worker_collaboratives c USING (collaborative_id) WHERE a.collaborative_id = $1 AND a.agency_id = $2`,
      [row.collaborative_id, p.agencyId],
    );
    const recorded = new Set([...(rows[0]?.months ?? []), ...(rows[0]?.quarters ?? [])]);
    const months = (p.months as string[]).filter((m) => !recorded.has(m));
    if (!rows[0]?.active || months.length === 0 || !owes(rows[0], months)) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await ctx.directory.agency(row.collaborative_id, p.agencyId);
    return { ...dataDueMessage(collab, agency, months), extra: { months } };
  },
};
