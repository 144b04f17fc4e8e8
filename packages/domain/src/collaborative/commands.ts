import { z } from 'zod';
import { measureDefinition, measureId } from '../measures/catalogue';
import { measureTemplateNames, type MeasureTemplate } from '../measures/templates';
import { periodKey } from '../measures/periods';
import { focusMeasure } from '../shared/measures';
import { MAX_UNIT_THRESHOLD, MAX_WINDOW_DAYS } from '../shared/bounds';
import { cents, commandSchema, isoDate, person, text, uuid } from '../shared/schemas';

export const measureTemplate = z.enum(measureTemplateNames as [MeasureTemplate, ...MeasureTemplate[]]);
export const systemRole = z.enum(['executive_sponsor', 'change_leader', 'data_coordinator', 'coach']);
// 'quarterly' added by issue 16 (ChangeMeetingCadence); the earlier values read as before.
export const meetingCadence = z.enum(['weekly', 'biweekly', 'monthly', 'quarterly']);
/** Whether the runtime's Intl knows this IANA time zone (America/Chicago, Europe/Berlin, UTC). */
export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};
/** The collaborative's time zone: every message states its times in it, with the UTC offset (issue 18). */
export const timeZone = z.string().min(1).max(64).refine(isTimeZone, { message: 'an IANA time zone such as America/Chicago' });
export const expenditureCategory = z.enum(['coaching', 'meetings', 'travel', 'stipends', 'materials', 'data', 'other']);

const measureSettingsOf = (days: z.ZodNumber, units: z.ZodNumber) =>
  z
    .object({
      /** Continuation windows in days, e.g. [30, 60]. */
      continuationWindowsDays: z.tuple([days, days]),
      /** Units of service within a window that count as continuation (commonly 4). */
      continuationUnitThreshold: units,
    })
    .strict()
    .refine((s) => s.continuationWindowsDays[0] < s.continuationWindowsDays[1], {
      message: 'the first window must be shorter than the second',
      path: ['continuationWindowsDays'],
    });
export const measureSettings = measureSettingsOf(
  z.number().int().positive().max(MAX_WINDOW_DAYS),
  z.number().int().positive().max(MAX_UNIT_THRESHOLD),
);
/** As stored by CollaborativeLaunched before the bounds (events keep reading). */
export const storedMeasureSettings = measureSettingsOf(z.number().int().positive(), z.number().int().positive());

export const LaunchCollaborative = commandSchema({
  collaborativeId: uuid,
  name: text(200),
  aim: text(2000),
  convener: z.object({ organizationName: text(200), contact: person }).strict(),
  /** The measures every agency must report: catalogue ids (`continuation` is the NIATx name of continuation_30). */
  focusMeasures: z.array(z.union([focusMeasure, measureId])).min(1).max(50),
  startsOn: isoDate,
  endsOn: isoDate,
  meetingCadence,
  /** Continuation windows and unit threshold: required only when the template has continuation measures (NIATx). */
  measureSettings: measureSettings.optional(),
  /** The template the catalogue starts from (issue 15); NIATx when left out. */
  measureTemplate: measureTemplate.optional(),
  /** Measures of the convener's own, added to the template's. */
  customMeasures: z.array(measureDefinition).max(100).optional(),
  /** IANA time zone of the collaborative's messages (issue 18); UTC when left out. */
  timeZone: timeZone.optional(),
}).refine((c) => c.startsOn < c.endsOn, { message: 'endsOn must be after startsOn', path: ['endsOn'] });

export const AppointSystemRole = commandSchema({ collaborativeId: uuid, role: systemRole, person });

export const OpenCohort = commandSchema({
  collaborativeId: uuid,
  cohortId: uuid,
  name: text(200),
  startsOn: isoDate,
  capacity: z.number().int().min(1).max(100),
});

export const RecordExpenditure = commandSchema({
  collaborativeId: uuid,
  expenditureId: uuid,
  amountCents: cents,
  category: expenditureCategory,
  spentOn: isoDate,
  note: text(1000).optional(),
});

export const DefineMeasure = commandSchema({ collaborativeId: uuid, measure: measureDefinition });
export const RetireMeasure = commandSchema({ collaborativeId: uuid, measureId, reason: text(2000) });
/** Issue 15: freeze a measure's centre line and limits over a span, or start a new phase after a sustained shift. */
export const StartChartPhase = commandSchema({
  collaborativeId: uuid, measureId,
  startsWith: periodKey.describe('First period of the phase'),
  freezeThrough: periodKey.optional().describe("Last period whose points set the phase's centre line and limits; left out: the whole phase"),
  reason: text(2000),
});
/** Issue 16 corrections: each its own event with a reason; the original event stays as recorded. */
const reason = text(2000);
export const CorrectCollaborativeDates = commandSchema({ collaborativeId: uuid, startsOn: isoDate, endsOn: isoDate, reason })
  .refine((c) => c.startsOn < c.endsOn, { message: 'endsOn must be after startsOn', path: ['endsOn'] });
export const ChangeMeetingCadence = commandSchema({ collaborativeId: uuid, meetingCadence, reason });
export const RemoveSystemRole = commandSchema({
  collaborativeId: uuid, role: systemRole, personId: uuid, reason,
  successor: person.optional().describe('Appointed to the role in the same command (a reassignment)'),
});
export const CorrectExpenditure = commandSchema({
  collaborativeId: uuid, expenditureId: uuid, amountCents: cents, category: expenditureCategory, spentOn: isoDate, note: text(1000).optional(), reason,
});
export const VoidExpenditure = commandSchema({ collaborativeId: uuid, expenditureId: uuid, reason });
export const SetBudget = commandSchema({ collaborativeId: uuid, category: expenditureCategory, amountCents: cents, reason: text(2000).optional() });
export const CloseCollaborative = commandSchema({ collaborativeId: uuid, closedOn: isoDate, reason: text(1000).optional() });

export type CollaborativeCommand =
  | { type: 'LaunchCollaborative'; data: z.infer<typeof LaunchCollaborative> }
  | { type: 'AppointSystemRole'; data: z.infer<typeof AppointSystemRole> }
  | { type: 'OpenCohort'; data: z.infer<typeof OpenCohort> }
  | { type: 'RecordExpenditure'; data: z.infer<typeof RecordExpenditure> }
  | { type: 'DefineMeasure'; data: z.infer<typeof DefineMeasure> }
  | { type: 'RetireMeasure'; data: z.infer<typeof RetireMeasure> }
  | { type: 'StartChartPhase'; data: z.infer<typeof StartChartPhase> }
  | { type: 'CloseCollaborative'; data: z.infer<typeof CloseCollaborative> }
  | { type: 'CorrectCollaborativeDates'; data: z.infer<typeof CorrectCollaborativeDates> }
  | { type: 'ChangeMeetingCadence'; data: z.infer<typeof ChangeMeetingCadence> }
  | { type: 'RemoveSystemRole'; data: z.infer<typeof RemoveSystemRole> }
  | { type: 'CorrectExpenditure'; data: z.infer<typeof CorrectExpenditure> }
  | { type: 'VoidExpenditure'; data: z.infer<typeof VoidExpenditure> }
  | { type: 'SetBudget'; data: z.infer<typeof SetBudget> };
