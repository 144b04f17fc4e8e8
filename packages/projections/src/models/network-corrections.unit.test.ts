import { describe, it, expect } from '@jest/globals';
import { eventMaker } from '../testing/recorded-events';
import { foldProjection } from '../runtime/memory-store';
import { networkProjection } from './network';

const C = '00000000-0000-7000-8000-000000000001';
const A = '00000000-0000-7000-8000-000000000002';
const LEAD = '00000000-0000-7000-8000-000000000003';
const NEXT = '00000000-0000-7000-8000-000000000004';
const COACH = '00000000-0000-7000-8000-000000000005';
const ev = eventMaker({ data: { collaborativeId: C } });
const person = (personId: string, name: string) => ({ personId, name, email: `${name.toLowerCase()}@example.org` });
const launched = ev('CollaborativeLaunched', { name: 'Access', convener: { organizationName: 'State', contact: person(COACH, 'Avery') }, startsOn: '2025-01-01', endsOn: '2026-06-30' });
const assigned = [
  ev('AgencyRoleAssigned', { agencyId: A, role: 'change_leader', person: person(LEAD, 'Morgan') }),
  ev('AgencyRoleAssigned', { agencyId: A, role: 'executive_sponsor', person: person(LEAD, 'Morgan') }),
  ev('SystemRoleAppointed', { role: 'coach', person: person(COACH, 'Avery') }),
];
const rolesOf = (rows: Record<string, Record<string, unknown>[]>, personId: string) =>
  ((rows.people!.find((p) => p.id === personId)?.roles ?? []) as { role: string }[]).map((r) => r.role).sort();

describe('network: corrections reach the people and collaboratives rows (v2)', () => {
  it('a removed agency or system role leaves the person’s roles; their other roles and a successor’s stay', () => {
    const before = foldProjection(networkProjection, [launched, ...assigned]);
    expect(rolesOf(before, LEAD)).toEqual(['change_leader', 'executive_sponsor']);
    expect(rolesOf(before, COACH)).toEqual(['coach']);

    const after = foldProjection(networkProjection, [
      launched, ...assigned,
      ev('AgencyRoleRemoved', { agencyId: A, role: 'change_leader', personId: LEAD, reason: 'Left the agency' }),
      ev('AgencyRoleAssigned', { agencyId: A, role: 'change_leader', person: person(NEXT, 'Jordan') }),
      ev('SystemRoleRemoved', { role: 'coach', personId: COACH, reason: 'Reassigned' }),
    ]);
    expect(rolesOf(after, LEAD)).toEqual(['executive_sponsor']);
    expect(rolesOf(after, NEXT)).toEqual(['change_leader']);
    expect(rolesOf(after, COACH)).toEqual([]);
  });

  it('corrected dates replace the collaborative’s', () => {
    const rows = foldProjection(networkProjection, [launched, ev('CollaborativeDatesCorrected', { startsOn: '2025-02-01', endsOn: '2025-12-31', reason: 'Funding' })]);
    expect(rows.collaboratives![0]).toMatchObject({ starts_on: '2025-02-01', ends_on: '2025-12-31' });
  });
});
