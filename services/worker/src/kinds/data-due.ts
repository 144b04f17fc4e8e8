import { planDataDueDeliveries } from '../data-due';
import { render, whyLine } from './render';
import type { AgencyLeaders, CollabName, MessageKind, Rendered } from './types';

// Data due (time-driven, ../data-due.ts): each agency still missing owed months or quarters gets a
// reminder every `dataDueRepeatDays` from the due date, and the convener a digest (data-digest.ts).

/** Months (yyyy-mm) are monthly data, quarters (yyyy-Qn) quarterly (issue 15). */
export const cadenceOf = (periods: readonly string[]) => (periods.some((p) => /-Q[1-4]$/.test(p)) ? 'quarterly' : 'monthly');

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
    const { rows } = await ctx.pool.query<{ months: string[]; quarters: string[]; active: boolean }>(
      'SELECT months, quarters, active FROM worker_agencies WHERE collaborative_id = $1 AND agency_id = $2',
      [row.collaborative_id, p.agencyId],
    );
    const recorded = new Set([...(rows[0]?.months ?? []), ...(rows[0]?.quarters ?? [])]);
    const months = (p.months as string[]).filter((m) => !recorded.has(m));
    if (!rows[0]?.active || months.length === 0) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await ctx.directory.agency(row.collaborative_id, p.agencyId);
    return { ...dataDueMessage(collab, agency, months), extra: { months } };
  },
};
