// Who may read whose calendar, for the calendar routes and the feeds alike (a feed reads with the
// rights of the key that created it): admins and auditors every calendar of their collaboratives;
// coaches every one, showing the visits and due dates of their assigned agencies only when they
// have a list; an agency key its own agency's calendar (its collaborative's calendar answers with
// that). Analysts none: calendars hold agendas and names.
import type { CalendarQuery } from '@convene/projections';
import type { Principal } from '../auth/keys';
import { assertInScope } from '../auth/plugin';
import { HttpProblem } from '../http/problem';
import { visibleAgencyIds } from '../http/scope';

export type CalendarScope = 'collaborative' | 'agency' | 'coach';
export const CALENDAR_READERS = ['admin', 'coach', 'agency', 'auditor'] as const;

export function calendarQueryFor(
  principal: Principal,
  target: { collaborativeId: string; scope: CalendarScope; subjectId: string | null },
): Omit<CalendarQuery, 'from' | 'to'> {
  if (!(CALENDAR_READERS as readonly string[]).includes(principal.role)) {
    throw new HttpProblem(403, 'forbidden_role', `A ${principal.role} key may not read calendars`);
  }
  const { collaborativeId, scope, subjectId } = target;
  assertInScope(principal, scope === 'agency' ? { collaborativeId, agencyId: subjectId! } : { collaborativeId });
  const allowed = visibleAgencyIds(principal);
  if (principal.role === 'agency') {
    if (scope === 'coach') throw new HttpProblem(403, 'out_of_scope', 'An agency key reads its own agency\'s calendar');
    return { collaborativeId, agencyId: principal.agencyIds[0]!, allowedAgencyIds: allowed };
  }
  if (scope === 'agency') return { collaborativeId, agencyId: subjectId!, allowedAgencyIds: allowed };
  if (scope === 'coach') return { collaborativeId, coachId: subjectId!, allowedAgencyIds: allowed };
  return { collaborativeId, allowedAgencyIds: allowed };
}
