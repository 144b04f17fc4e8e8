import { requireOpenCollaborative } from '../collaborative/decide';
import type { CollaborativeState } from '../collaborative/state';
import { conflict, unprocessable } from '../shared/errors';
import type { BaseContext } from '../shared/types';
import { agencyAudiences, type AnnouncementCommand } from './commands';
import type { AnnouncementEvent } from './events';
import type { AnnouncementState } from './state';

export interface AnnouncementContext extends BaseContext {
  collaborative?: CollaborativeState;
}

/**
 * Sent once per id, in an open collaborative, to an audience that resolved to someone. A cohort
 * narrows only an agency audience and must be one of the collaborative's.
 */
export const decideAnnouncement = (command: AnnouncementCommand, state: AnnouncementState, ctx: AnnouncementContext): AnnouncementEvent[] => {
  const d = command.data;
  if (state.status !== 'none') return conflict('announcement_exists', 'This announcement was already sent');
  const collab = requireOpenCollaborative(ctx.collaborative);
  if (d.audience === 'cohort' && !d.cohortId) return unprocessable('cohort_required', 'The cohort audience needs cohortId', 'cohortId');
  if (d.cohortId && !agencyAudiences.includes(d.audience)) return unprocessable('cohort_not_applicable', `A cohort does not narrow the ${d.audience} audience`, 'cohortId');
  if (d.cohortId && !collab.cohorts[d.cohortId]) return unprocessable('cohort_not_found', 'No such cohort in this collaborative', 'cohortId');
  if (d.recipients.length === 0) return unprocessable('audience_empty', `Nobody with an e-mail address is in the ${d.audience} audience`, 'audience');
  return [{ type: 'AnnouncementSent', data: d }];
};
