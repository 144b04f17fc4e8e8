// The shape of a seed step and the fixed ids of the seeded collaborative, shared by the year
// (seed-year.ts) and the steps outside it (seed-outside-year.ts).
import type { CommandType } from '@convene/domain';

export type SeedActor = 'admin' | 'coach' | 'agency';

export interface SeedStep {
  name: string;
  command: CommandType;
  /** The command clock for this step (ISO). */
  at: string;
  as: SeedActor;
  method: 'POST' | 'PUT';
  url: string;
  body: Record<string, unknown>;
  status: 200 | 201;
}

export const SEED_IDS = {
  collaborative: '0190a000-0000-7000-8000-000000000001',
  cohort1: '0190a000-0000-7000-8000-000000000011',
  cohort2: '0190a000-0000-7000-8000-000000000012',
  /** The agency that walks through the whole year (the agency key's own). */
  agency1: '0190a000-0000-7000-8000-000000000021',
  agency2: '0190a000-0000-7000-8000-000000000022',
  /** Second cohort: mentored by agency1. */
  agency3: '0190a000-0000-7000-8000-000000000023',
  sponsor: '0190a000-0000-7000-8000-000000000031',
  changeLeader: '0190a000-0000-7000-8000-000000000032',
  dataCoordinator: '0190a000-0000-7000-8000-000000000033',
  coach: '0190a000-0000-7000-8000-000000000034',
  reviewer: '0190a000-0000-7000-8000-000000000035',
  agencySponsor: '0190a000-0000-7000-8000-000000000041',
  agencyChangeLeader: '0190a000-0000-7000-8000-000000000042',
  agencyTeamMember: '0190a000-0000-7000-8000-000000000043',
  convenerContact: '0190a000-0000-7000-8000-000000000044',
  project: '0190a000-0000-7000-8000-000000000051',
  siteVisit: '0190a000-0000-7000-8000-000000000061',
  kickOff: '0190a000-0000-7000-8000-000000000071',
  expenditure: '0190a000-0000-7000-8000-000000000081',
} as const;

export type SeedIds = { [K in keyof typeof SEED_IDS]: string };
