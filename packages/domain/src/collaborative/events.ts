import { z } from 'zod';
import { measureDefinition, measureId } from '../measures/catalogue';
import { focusMeasure } from '../shared/measures';
import { eventSchema, person, storedCents as cents, storedIsoDate as isoDate, text, uuid } from '../shared/schemas';
import { expenditureCategory, meetingCadence, measureTemplate, storedMeasureSettings as measureSettings, systemRole } from './commands';

export const CollaborativeLaunched = eventSchema({
  collaborativeId: uuid,
  name: text(200),
  aim: text(2000),
  convener: z.object({ organizationName: text(200), contact: person }).strict(),
  focusMeasures: z.array(z.union([focusMeasure, measureId])).min(1),
  startsOn: isoDate,
  endsOn: isoDate,
  meetingCadence,
  /** Left out by a collaborative whose template has no continuation measures. */
  measureSettings: measureSettings.optional(),
  /** v2 (issue 15): the template and the catalogue it gave (v1 events read as the NIATx template). */
  measureTemplate: measureTemplate,
  catalogue: z.array(measureDefinition).min(1),
  /** Issue 18: the IANA zone messages state times in; events without it read as UTC. */
  timeZone: z.string().max(64).optional(),
});
export const SystemRoleAppointed = eventSchema({ collaborativeId: uuid, role: systemRole, person });
export const CohortOpened = eventSchema({
  collaborativeId: uuid,
  cohortId: uuid,
  name: text(200),
  startsOn: isoDate,
  capacity: z.number().int().min(1),
  sequence: z.number().int().min(1),
});
/** Appended by an admission (participation decider) so that capacity and "one cohort" are concurrency-safe. */
export const AgencyEnrolledInCohort = eventSchema({ collaborativeId: uuid, cohortId: uuid, agencyId: uuid });
export const ExpenditureRecorded = eventSchema({
  collaborativeId: uuid,
  expenditureId: uuid,
  amountCents: cents,
  category: expenditureCategory,
  spentOn: isoDate,
  note: text(1000).optional(),
});
export const MeasureDefined = eventSchema({ collaborativeId: uuid, measure: measureDefinition });
export const MeasureRetired = eventSchema({ collaborativeId: uuid, measureId, reason: text(2000) });
export const ChartPhaseStarted = eventSchema({ collaborativeId: uuid, measureId, startsWith: z.string(), freezeThrough: z.string().optional(), reason: text(2000) });
// Issue 16 corrections (each names its reason; the corrected event stays as it was recorded).
export const CollaborativeDatesCorrected = eventSchema({ collaborativeId: uuid, startsOn: isoDate, endsOn: isoDate, reason: text(2000) });
export const MeetingCadenceChanged = eventSchema({ collaborativeId: uuid, meetingCadence, reason: text(2000) });
export const SystemRoleRemoved = eventSchema({ collaborativeId: uuid, role: systemRole, personId: uuid, reason: text(2000) });
export const ExpenditureCorrected = eventSchema({
  collaborativeId: uuid, expenditureId: uuid, amountCents: cents, category: expenditureCategory, spentOn: isoDate, note: text(1000).optional(), reason: text(2000),
});
export const ExpenditureVoided = eventSchema({ collaborativeId: uuid, expenditureId: uuid, reason: text(2000) });
export const BudgetSet = eventSchema({ collaborativeId: uuid, category: expenditureCategory, amountCents: cents, reason: text(2000).optional() });
export const CollaborativeClosed = eventSchema({ collaborativeId: uuid, closedOn: isoDate, reason: text(1000).optional() });

export type CollaborativeEvent =
  | { type: 'CollaborativeLaunched'; data: z.infer<typeof CollaborativeLaunched> }
  | { type: 'SystemRoleAppointed'; data: z.infer<typeof SystemRoleAppointed> }
  | { type: 'CohortOpened'; data: z.infer<typeof CohortOpened> }
  | { type: 'AgencyEnrolledInCohort'; data: z.infer<typeof AgencyEnrolledInCohort> }
  | { type: 'ExpenditureRecorded'; data: z.infer<typeof ExpenditureRecorded> }
  | { type: 'MeasureDefined'; data: z.infer<typeof MeasureDefined> }
  | { type: 'MeasureRetired'; data: z.infer<typeof MeasureRetired> }
  | { type: 'ChartPhaseStarted'; data: z.infer<typeof ChartPhaseStarted> }
  | { type: 'CollaborativeClosed'; data: z.infer<typeof CollaborativeClosed> }
  | { type: 'CollaborativeDatesCorrected'; data: z.infer<typeof CollaborativeDatesCorrected> }
  | { type: 'MeetingCadenceChanged'; data: z.infer<typeof MeetingCadenceChanged> }
  | { type: 'SystemRoleRemoved'; data: z.infer<typeof SystemRoleRemoved> }
  | { type: 'ExpenditureCorrected'; data: z.infer<typeof ExpenditureCorrected> }
  | { type: 'ExpenditureVoided'; data: z.infer<typeof ExpenditureVoided> }
  | { type: 'BudgetSet'; data: z.infer<typeof BudgetSet> };

export const collaborativeEvents = {
  CollaborativeLaunched: { schema: CollaborativeLaunched, schemaVersion: 2 },
  SystemRoleAppointed: { schema: SystemRoleAppointed, schemaVersion: 1 },
  CohortOpened: { schema: CohortOpened, schemaVersion: 1 },
  AgencyEnrolledInCohort: { schema: AgencyEnrolledInCohort, schemaVersion: 1 },
  ExpenditureRecorded: { schema: ExpenditureRecorded, schemaVersion: 1 },
  MeasureDefined: { schema: MeasureDefined, schemaVersion: 1 },
  MeasureRetired: { schema: MeasureRetired, schemaVersion: 1 },
  ChartPhaseStarted: { schema: ChartPhaseStarted, schemaVersion: 1 },
  CollaborativeClosed: { schema: CollaborativeClosed, schemaVersion: 1 },
  CollaborativeDatesCorrected: { schema: CollaborativeDatesCorrected, schemaVersion: 1 },
  MeetingCadenceChanged: { schema: MeetingCadenceChanged, schemaVersion: 1 },
  SystemRoleRemoved: { schema: SystemRoleRemoved, schemaVersion: 1 },
  ExpenditureCorrected: { schema: ExpenditureCorrected, schemaVersion: 1 },
  ExpenditureVoided: { schema: ExpenditureVoided, schemaVersion: 1 },
  BudgetSet: { schema: BudgetSet, schemaVersion: 1 },
};
