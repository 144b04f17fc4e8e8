// Measure templates (issue 15): data, not code. A collaborative's catalogue starts as a copy of a
// template; the convener adds their own measures to it (DefineMeasure).
import type { MeasureDefinition } from './catalogue';

const niatx: MeasureDefinition[] = [
  {
    id: 'waiting_time', name: 'Waiting time', type: 'mean', unit: 'days', direction: 'lower', period: 'monthly', required: false,
    definition: 'Days from first contact to first treatment: the total days over the clients who received a first treatment in the month, and the number of those clients.',
  },
  {
    id: 'waiting_time_median', name: 'Median waiting time', type: 'median', unit: 'days', direction: 'lower', period: 'monthly', required: false,
    definition: 'Median days from first contact to first treatment over the clients who received a first treatment in the month (optional beside the total).',
  },
  {
    id: 'intake_no_show', name: 'Intake no-show rate', type: 'proportion', unit: 'appointments', direction: 'lower', period: 'monthly', required: false,
    definition: 'Intake or assessment appointments scheduled in the month (denominator) and the no-shows among them (numerator).',
  },
  {
    id: 'first_post_admission_no_show', name: 'First post-admission no-show rate', type: 'proportion', unit: 'appointments', direction: 'lower', period: 'monthly', required: false,
    definition: 'First appointments after admission scheduled in the month (denominator) and the no-shows among them (numerator).',
  },
  {
    id: 'admissions', name: 'Admissions', type: 'count', unit: 'clients', direction: 'higher', period: 'monthly', required: false,
    definition: 'Unduplicated client admissions in the month.',
  },
  {
    id: 'continuation_30', name: 'Continuation at 30 days', type: 'proportion', unit: 'clients', direction: 'higher', period: 'monthly', required: false,
    definition: 'Clients admitted in the window (denominator) still in care at 30 days, i.e. attending the collaborative\'s unit threshold of services (numerator).',
  },
  {
    id: 'continuation_60', name: 'Continuation at 60 days', type: 'proportion', unit: 'clients', direction: 'higher', period: 'monthly', required: false,
    sharesDenominatorWith: 'continuation_30',
    definition: 'Of the same clients admitted in the window, those still in care at 60 days (numerator).',
  },
];

const pediatric: MeasureDefinition[] = [
  {
    id: 'immunisations_24m', name: 'Immunisations up to date by 24 months', type: 'proportion', unit: 'children', direction: 'higher', period: 'quarterly', required: true,
    definition: 'Children who turned 24 months in the quarter (denominator) with every recommended dose (numerator).',
  },
  {
    id: 'developmental_screening', name: 'Developmental screening', type: 'proportion', unit: 'children', direction: 'higher', period: 'quarterly', required: true,
    definition: 'Children seen at the 9, 18 or 30 month visit (denominator) screened with a standardised tool (numerator).',
  },
  {
    id: 'autism_screening', name: 'Autism screening', type: 'proportion', unit: 'children', direction: 'higher', period: 'quarterly', required: true,
    definition: 'Children seen at the 18 or 24 month visit (denominator) screened with a standardised tool (numerator).',
  },
  {
    id: 'lead_screening', name: 'Lead screening', type: 'proportion', unit: 'children', direction: 'higher', period: 'quarterly', required: true,
    definition: 'Children who turned 24 months in the quarter (denominator) who had a blood lead test by 24 months (numerator).',
  },
];

export const measureTemplates = { niatx, 'pediatric-preventive': pediatric } as const satisfies Record<string, MeasureDefinition[]>;
export type MeasureTemplate = keyof typeof measureTemplates;
export const measureTemplateNames = Object.keys(measureTemplates) as MeasureTemplate[];

/**
 * Whether a template's measures are defined by the collaborative's continuation settings (windows
 * in days and the unit threshold): NIATx's continuation_30/60 are; a template without continuation
 * measures launches without `measureSettings`.
 */
export const templateUsesContinuationSettings: Record<MeasureTemplate, boolean> = { niatx: true, 'pediatric-preventive': false };

/** A copy of a template; `required` lists the ids every agency must report (the rest stay as the template says). */
export function catalogueFromTemplate(template: MeasureTemplate, required?: readonly string[]): MeasureDefinition[] {
  return measureTemplates[template].map((m) => ({ ...m, required: required ? required.includes(m.id) : m.required }));
}
