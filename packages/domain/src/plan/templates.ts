// Plan templates as data: the NIATx learning-collaborative year and its quarterly variant for 18-24
// month collaboratives and learning networks. Each step has a kind, an offset from the plan's
// start (month m, day d of the plan), a duration, an audience and the preparatory work due before
// it; `planEntries` turns a template, a start date and the scope's agencies into tentative entries.
import { dataDueDate, DEFAULT_DATA_DUE_DAY, monthIndex, monthOf, quarterDataDueDate, quarterOf } from '../shared/data-due';
import { addDays, addMonths, at, daysBetween, nameUuid, offsetDate, type PlanOffset } from './dates';

export const planTemplateIds = ['niatx-year', 'niatx-network-quarterly'] as const;
export type PlanTemplateId = (typeof planTemplateIds)[number];

export const meetingEntryKinds = ['introductory', 'orientation', 'kick_off_learning_session', 'change_leader_meeting', 'regular_call', 'completion_conference'] as const;
export const planEntryKinds = [...meetingEntryKinds, 'site_visit', 'baseline_window', 'walk_through_due', 'data_due'] as const;
export type PlanEntryKind = (typeof planEntryKinds)[number];
export type MeetingEntryKind = (typeof meetingEntryKinds)[number];
export const isMeetingKind = (k: string): k is MeetingEntryKind => (meetingEntryKinds as readonly string[]).includes(k);
/** Entries that schedule something when adopted (a meeting or a site visit); the others are dates to meet. */
export const schedulesOnAdoption = (k: string) => isMeetingKind(k) || k === 'site_visit';

export const planAudiences = ['applicants', 'change_teams', 'change_leaders', 'agency'] as const;
export type PlanAudience = (typeof planAudiences)[number];

/** Meetings start at 16:00 UTC and site visits at 14:00 UTC until moved. */
export const MEETING_TIME = '16:00';
export const VISIT_TIME = '14:00';

export interface PlanEntryData {
  entryId: string;
  /** The template step it comes from: `kick-off`, `call-05`, `visit-03/<agencyId>`, `data-2025-05`. */
  step: string;
  kind: PlanEntryKind;
  title: string;
  offset: PlanOffset;
  /** Its day: a meeting's or visit's, a deadline's due day, a window's first day. */
  date: string;
  /** Meetings and visits: when they start. */
  startsAt?: string;
  /** Windows (the baseline): the last day. */
  endsOn?: string;
  durationMinutes?: number;
  modality?: 'in_person' | 'video' | 'phone';
  audience: PlanAudience;
  /** What is due before it. */
  preparation: string[];
  /** Site visits: the visited agency. */
  agencyId?: string;
  /** Data due: the month (yyyy-mm) or quarter (yyyy-Qn) due. */
  period?: string;
}

interface Step {
  step: string;
  kind: PlanEntryKind;
  title: string;
  offset: PlanOffset;
  /** Windows: the offset of their last day. */
  until?: PlanOffset;
  durationMinutes?: number;
  modality?: 'in_person' | 'video' | 'phone';
  audience: PlanAudience;
  preparation: string[];
}

export interface PlanTemplate {
  id: PlanTemplateId;
  description: string;
  /** The plan's length in months, given how many months of the collaborative remain from its start. */
  length: (monthsAvailable: number) => number;
  steps: (length: number) => Step[];
  /** Months of the plan (1-based) with a site visit to each agency: a coaching cadence that tapers. */
  visitMonths: (length: number) => number[];
}

const common = (length: number, changeLeaderMonth: number, callMonths: number[]): Step[] => [
  { step: 'introductory', kind: 'introductory', title: 'Introductory meeting', offset: { month: 1, day: 1 }, durationMinutes: 60, modality: 'video', audience: 'applicants', preparation: [] },
  {
    step: 'orientation', kind: 'orientation', title: 'Orientation', offset: { month: 1, day: 22 }, durationMinutes: 120, modality: 'video', audience: 'change_teams',
    preparation: ['Name the change team: Executive Sponsor and Change Leader', 'Read the NIATx primer and choose an aim', 'Plan how the baseline data will be collected'],
  },
  {
    step: 'baseline-window', kind: 'baseline_window', title: 'Baseline data collection (two months)', offset: { month: 2, day: 1 }, until: { month: 4, day: 0 }, audience: 'agency',
    preparation: ['Collect the baseline measures of the chosen aim'],
  },
  {
    step: 'walk-through-due', kind: 'walk_through_due', title: 'Walk-through due', offset: { month: 4, day: 1 }, audience: 'agency',
    preparation: ['Walk through the admission process as a client would and record the findings'],
  },
  {
    step: 'kick-off', kind: 'kick_off_learning_session', title: 'Kick-off learning session', offset: { month: 4, day: 15 }, durationMinutes: 420, modality: 'in_person', audience: 'change_teams',
    preparation: ['Baseline data recorded', 'Walk-through submitted', 'Storyboard of the agency and its aim'],
  },
  ...callMonths.map((m): Step => ({
    step: `call-${String(m).padStart(2, '0')}`, kind: 'regular_call', title: `Collaborative call, month ${m}`, offset: { month: m, day: 15 }, durationMinutes: 60, modality: 'video', audience: 'change_teams',
    preparation: ['Last month\'s data recorded', 'A PDSA cycle to report'],
  })),
  {
    step: 'change-leader-meeting', kind: 'change_leader_meeting', title: 'Change Leader meeting', offset: { month: changeLeaderMonth, day: 15 }, durationMinutes: 240, modality: 'in_person', audience: 'change_leaders',
    preparation: ['Run chart of the aim measure', 'Sustainability plan draft'],
  },
  {
    step: 'completion-conference', kind: 'completion_conference', title: 'Completion conference', offset: { month: length, day: 1 }, durationMinutes: 420, modality: 'in_person', audience: 'change_teams',
    preparation: ['Final storyboard with the change against baseline', 'Sustainability plan'],
  },
];

const between = (from: number, to: number, every: number) => Array.from({ length: Math.max(0, Math.floor((to - from) / every) + 1) }, (_, i) => from + i * every);

export const planTemplates: Record<PlanTemplateId, PlanTemplate> = {
  'niatx-year': {
    id: 'niatx-year',
    description: 'The NIATx learning-collaborative year: monthly calls after the kick-off in month 4, the Change Leader meeting in month 8, the completion conference at the end of month 11',
    length: () => 12,
    // Monthly calls from month 5 to 11; the Change Leader meeting takes month 8's call.
    steps: (length) => common(length, 8, between(5, length - 1, 1).filter((m) => m !== 8)),
    visitMonths: () => [2, 3, 5, 7, 10],
  },
  'niatx-network-quarterly': {
    id: 'niatx-network-quarterly',
    description: 'The quarterly variant for 18-24 month collaboratives and learning networks: quarterly calls after the kick-off, the Change Leader meeting two thirds in, the completion conference in the last month',
    length: (available) => Math.min(24, Math.max(18, available)),
    steps: (length) => {
      const changeLeader = Math.round((length * 2) / 3);
      return common(length, changeLeader, between(7, length - 1, 3).filter((m) => m !== changeLeader));
    },
    visitMonths: (length) => [2, 5, 8, 12, 18].filter((m) => m < length),
  },
};

export interface PlanInput {
  collaborativeId: string;
  /** The cohort the plan is for; absent: the collaborative's own plan. */
  cohortId?: string;
  template: PlanTemplateId;
  startsOn: string;
  /** The collaborative's last day: no entry is proposed after it. */
  endsOn: string;
  agencyIds: string[];
  /** Which data cadences the catalogue reports. */
  cadences: { monthly: boolean; quarterly: boolean };
}

/** The scope's key in the plan: the cohort's id, or `collaborative`. */
export const scopeKey = (cohortId?: string) => cohortId ?? 'collaborative';
export const entryIdOf = (collaborativeId: string, scope: string, step: string) => nameUuid(`${collaborativeId}/${scope}/${step}`);

/** Whole months from `startsOn` to `endsOn` (a partial last month counts). */
const monthsAvailable = (startsOn: string, endsOn: string) => monthIndex(endsOn) - monthIndex(startsOn) + (endsOn.slice(8) >= startsOn.slice(8) ? 1 : 0);

/** The plan's length in months for a template, a start and the collaborative's end. */
export const planLength = (template: PlanTemplateId, startsOn: string, endsOn: string) => planTemplates[template].length(monthsAvailable(startsOn, endsOn));

/** An entry's dates for a start: pure in the template's offsets, so a new start moves it. */
export const datesAt = (kind: PlanEntryKind, startsOn: string, offset: PlanOffset, until?: PlanOffset): Pick<PlanEntryData, 'date' | 'startsAt' | 'endsOn'> => {
  const date = offsetDate(startsOn, offset);
  if (isMeetingKind(kind)) return { date, startsAt: at(date, MEETING_TIME) };
  if (kind === 'site_visit') return { date, startsAt: at(date, VISIT_TIME) };
  return until ? { date, endsOn: offsetDate(startsOn, until) } : { date };
};

/** The offset (month m, day d of the plan) of a date. */
export const offsetOf = (startsOn: string, date: string): PlanOffset => {
  let month = monthIndex(date) - monthIndex(startsOn) + 1;
  if (offsetDate(startsOn, { month, day: 1 }) > date) month -= 1;
  return { month, day: daysBetween(offsetDate(startsOn, { month, day: 1 }), date) + 1 };
};

/**
 * Data due entries: each month (and/or quarter) after the baseline window through the plan's last
 * month, due by the shared data-due rules. Their steps count periods after the baseline (`data-01`,
 * `data-q1`), so a new start moves each to its new period.
 */
const dataDue = (input: PlanInput, baselineEnds: string, planEnds: string): Omit<PlanEntryData, 'entryId'>[] => {
  const out: Omit<PlanEntryData, 'entryId'>[] = [];
  const last = Math.min(monthIndex(planEnds), monthIndex(input.endsOn));
  const entry = (step: string, period: string, date: string): Omit<PlanEntryData, 'entryId'> => ({
    step, kind: 'data_due', title: `Data for ${period} due`, offset: offsetOf(input.startsOn, date), date, audience: 'agency', preparation: [`Record the measures of ${period}`], period,
  });
  if (input.cadences.monthly)
    for (let i = monthIndex(baselineEnds) + 1, n = 1; i <= last; i++, n++) out.push(entry(`data-${String(n).padStart(2, '0')}`, monthOf(i), dataDueDate(monthOf(i), DEFAULT_DATA_DUE_DAY)));
  if (input.cadences.quarterly)
    for (let q = Math.floor(monthIndex(baselineEnds) / 3) + 1, n = 1; q <= Math.floor(last / 3); q++, n++)
      out.push(entry(`data-q${n}`, quarterOf(q), quarterDataDueDate(quarterOf(q), DEFAULT_DATA_DUE_DAY)));
  return out;
};

/**
 * The tentative entries a template proposes for a scope, in date order: its meetings, the baseline
 * window, the walk-through and data due dates, and a site visit per agency in each visit month.
 * Meetings and visits after the collaborative's last day are left out (data of its last months is due after it).
 */
export function planEntries(input: PlanInput): PlanEntryData[] {
  const template = planTemplates[input.template];
  const length = planLength(input.template, input.startsOn, input.endsOn);
  const scope = scopeKey(input.cohortId);
  const steps = template.steps(length);
  const fromSteps = steps.map((s) => ({
    step: s.step, kind: s.kind, title: s.title, offset: s.offset, ...datesAt(s.kind, input.startsOn, s.offset, s.until), ...(s.until ? { until: s.until } : {}),
    ...(s.durationMinutes ? { durationMinutes: s.durationMinutes } : {}), ...(s.modality ? { modality: s.modality } : {}), audience: s.audience, preparation: s.preparation,
  }));
  const visits = template.visitMonths(length).flatMap((m) =>
    input.agencyIds.map((agencyId) => {
      const offset = { month: m, day: 8 };
      return {
        step: `visit-${String(m).padStart(2, '0')}/${agencyId}`, kind: 'site_visit' as const, title: `Site visit, month ${m}`, offset, ...datesAt('site_visit', input.startsOn, offset),
        durationMinutes: 180, audience: 'agency' as const, preparation: m === template.visitMonths(length)[0] ? ['Walk-through findings to review'] : ['Run charts and PDSA cycles since the last visit'], agencyId,
      };
    }),
  );
  // The completion conference closes the plan: a collaborative shorter than the plan holds it on its last day.
  const completion = fromSteps.find((s) => s.kind === 'completion_conference');
  if (completion && completion.date > input.endsOn) Object.assign(completion, { offset: offsetOf(input.startsOn, input.endsOn), ...datesAt('completion_conference', input.endsOn, { month: 1, day: 1 }) });
  const baseline = fromSteps.find((s) => s.kind === 'baseline_window');
  const planEnds = addDays(addMonths(input.startsOn, length), -1);
  const all = [...fromSteps.map(({ until: _u, ...s }) => s), ...visits, ...dataDue(input, baseline?.endsOn ?? input.startsOn, planEnds)];
  return all
    .filter((e) => e.kind === 'data_due' || e.date <= input.endsOn)
    .map((e) => ({ entryId: entryIdOf(input.collaborativeId, scope, e.step), ...e }))
    .sort((a, b) => (a.startsAt ?? `${a.date}T00`).localeCompare(b.startsAt ?? `${b.date}T00`) || a.step.localeCompare(b.step));
}
