import { createEventStore, type EventStore } from '@convene/eventstore';
import { loadPlanView, type LateItem } from '@convene/domain';
import type pg from 'pg';
import { deliveryKeys } from '../keys';
import { insertDeliveryRows } from '../planner-rows';
import type { Db } from '../types';
import { day, render, whyLine } from './render';
import type { AgencyLeaders, CollabName, MessageKind, Rendered } from './types';

// Late against the plan (issue 18), time-driven: on each tick, for every open collaborative with a
// plan, what @convene/domain's lateAgainstPlan finds late (the rule the plan read shows) gets one
// reminder to the agency's Change Leader and Executive Sponsor, once per late item (its key names
// the item). Months without data are left to the data-due kind, which already chases them every
// `dataDueRepeatDays`; this kind reminds of the baseline missing at the kick-off and of a missing
// walk-through. A reminder is sent only while the item is still late when its job runs.

const NAME = 'late-against-plan';
const REMINDED: ReadonlySet<LateItem['kind']> = new Set(['baseline_missing', 'walk_through_missing']);

// The plan, collaborative and participations are folded from their streams (the same fold as the
// API's plan read); a store per pool, without group commit or LISTEN (it only reads).
const stores = new WeakMap<object, EventStore>();
const storeOf = (pool: pg.Pool) => {
  let store = stores.get(pool);
  if (!store) stores.set(pool, (store = createEventStore({ pool, groupCommit: false, notify: false })));
  return store;
};

export function lateAgainstPlanMessage(collab: CollabName, agency: AgencyLeaders, item: Pick<LateItem, 'kind' | 'lateSince' | 'description'>): Rendered {
  const what = item.kind === 'baseline_missing' ? 'your baseline data' : 'your walk-through';
  const subject = `${collab.name}: ${what} is late against the plan`;
  const body = render(
    subject,
    [
      `Dear ${agency.agencyName} team,`,
      `${item.description}; we have not received ${what} yet (late since ${day(item.lateSince.slice(0, 10))}).`,
      item.kind === 'baseline_missing'
        ? 'Please record your baseline as soon as you can: your change is measured against it, and the collaborative\'s charts start from it.'
        : 'Please submit the findings of your walk-through as soon as you can: your coach reviews them with you at the next site visit.',
    ],
    whyLine(agency.leaders, collab.name),
  );
  return { subject, ...body, recipients: agency.leaders };
}

/** Plans one row per late item of every open collaborative with a plan (idempotent: the key names the item). */
export async function planLateAgainstPlan(db: Db, now: Date): Promise<number> {
  const { rows } = await db.query<{ collaborative_id: string }>(
    `SELECT c.collaborative_id FROM worker_collaboratives c
       JOIN streams s ON s.stream_id = 'plan-' || c.collaborative_id::text
      WHERE NOT c.closed`,
  );
  const store = storeOf(db as pg.Pool);
  let planned = 0;
  for (const { collaborative_id: collaborativeId } of rows) {
    const view = await loadPlanView(store, collaborativeId, now.toISOString());
    planned += await insertDeliveryRows(
      db,
      view.late
        .filter((l) => REMINDED.has(l.kind))
        .map((item) => ({
          key: deliveryKeys.lateAgainstPlan(collaborativeId, item.agencyId, item.kind, item.entryId),
          kind: NAME,
          collaborativeId,
          subjectId: item.entryId,
          dueAt: now,
          payload: { collaborativeId, agencyId: item.agencyId, itemId: item.itemId, lateKind: item.kind },
        })),
    );
  }
  return planned;
}

export const lateAgainstPlanKind: MessageKind = {
  name: NAME,
  recordedAs: 'ReminderSent',
  tick: (db, now) => planLateAgainstPlan(db, now),
  async compose(ctx, row) {
    // Still late now? A baseline recorded since the row was planned sends nothing.
    const view = await loadPlanView(ctx.store, row.collaborative_id, ctx.clock().toISOString());
    const item = view.late.find((l) => l.itemId === row.payload.itemId);
    if (!item) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await ctx.directory.agency(row.collaborative_id, item.agencyId);
    return { ...lateAgainstPlanMessage(collab, agency, item), extra: {} };
  },
};
