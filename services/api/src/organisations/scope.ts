// What of the network a key sees (issue 16, docs/permissions.md). Organisations belong to no one
// collaborative, so the scope rules are their own: an unscoped admin, analyst or auditor sees every
// organisation; a scoped one those taking part in its collaboratives plus every stakeholder
// organisation (shared by the convener's collaboratives); a coach its agencies (those of its
// collaboratives when it lists none); an agency key its own organisation.
import type { NetworkScope } from '@convene/projections';
import type { Principal } from '../auth/keys';
import { HttpProblem } from '../http/problem';

export function networkScopeOf(principal: Principal): NetworkScope {
  switch (principal.role) {
    case 'agency':
      return { collaborativeIds: null, stakeholders: false, organisationIds: principal.agencyIds };
    case 'coach':
      return { collaborativeIds: principal.collaborativeIds, stakeholders: false, organisationIds: principal.agencyIds.length ? principal.agencyIds : null };
    default:
      return { collaborativeIds: principal.collaborativeIds, stakeholders: true, organisationIds: null };
  }
}

/** An organisation's own key reads its whole history; others read the collaboratives of their scope. */
export const historyScopeOf = (principal: Principal, organisationId: string): string[] | null =>
  principal.role === 'agency' && principal.agencyIds.includes(organisationId) ? null : principal.collaborativeIds;

export const outOfScope = () => new HttpProblem(403, 'out_of_scope', 'This API key has no access to this resource');
