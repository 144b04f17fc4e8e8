// Which agencies and collaboratives a key may list: lists filter by it (gets check inScope).
import type { Principal } from '../auth/keys';

/** Agencies whose rows a key sees in lists: null = every agency of its collaboratives. */
export function visibleAgencyIds(principal: Principal): string[] | null {
  switch (principal.role) {
    case 'agency':
      return principal.agencyIds;
    case 'coach':
      return principal.agencyIds.length > 0 ? principal.agencyIds : null;
    default:
      return null;
  }
}

/** Analysts read no personal data: person fields are dropped from their answers. */
export const seesPersonalData = (principal: Principal): boolean => principal.role !== 'analyst';
