import { cadenceOf, owes, owingOf } from './data-due';
import { render, whyLine } from './render';
import type { MessageKind } from './types';

// The convener's digest of a data-due round (planned with it, data-due.ts).

export const dataDigestKind: MessageKind = {
  name: 'data-digest',
  recordedAs: 'ReminderSent',
  async compose(ctx, row) {
    // A round planned before its cadence stopped being owed, or before the collaborative closed, is not sent.
    const owing = await owingOf(ctx.pool, row.collaborative_id);
    const periods = (row.payload.missing as { months: string[] }[]).flatMap((m) => m.months);
    if (!owing || !owes(owing, periods)) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    if (!collab.convener) return null;
    const missing = await Promise.all(
      (row.payload.missing as { agencyId: string; months: string[] }[]).map(async (m) => ({
        agencyName: (await ctx.directory.agency(row.collaborative_id, m.agencyId)).agencyName,
        months: m.months,
      })),
    );
    const cadence = cadenceOf(periods);
    const subject = `${collab.name}: ${missing.length} ${missing.length === 1 ? 'agency is' : 'agencies are'} missing ${cadence} data`;
    const body = render(
      subject,
      [`Dear ${collab.convener.name},`, `These agencies have not recorded their ${cadence} measures yet:`, missing.map((m) => `- ${m.agencyName}: ${m.months.join(', ')}`).join('\n')],
      whyLine([collab.convener], collab.name),
    );
    return { subject, ...body, recipients: [collab.convener], extra: {} };
  },
};
