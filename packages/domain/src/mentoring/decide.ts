import { requireOpenCollaborative, requireWithinSpan } from '../collaborative/decide';
import type { CollaborativeState } from '../collaborative/state';
import type { ParticipationState } from '../participation/state';
import { localDates } from '../shared/business-dates';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertNever, type BaseContext } from '../shared/types';
import type { MentoringCommand } from './commands';
import type { MentoringEvent } from './events';
import { recruitKey, type MentoringState } from './state';

export interface MentoringContext extends BaseContext {
  /** The mentee's (LogMentoringContact) or the applicant's (CreditRecruitment) collaborative. */
  collaborative?: CollaborativeState;
  /** The mentee's participation (LogMentoringContact). */
  mentee?: ParticipationState;
  /** The applicant's participation (CreditRecruitment). */
  applicant?: ParticipationState;
  /** The mentor's participation in mentorCollaborativeId (CreditRecruitment). */
  mentor?: ParticipationState;
}
type Cmd<T extends MentoringCommand['type']> = Extract<MentoringCommand, { type: T }>['data'];
type Events = MentoringEvent[];

/**
 * A contact is logged by the mentee's assigned mentor, after the fact (today anywhere at the latest),
 * within the mentee's collaborative while it is open (like every record of a collaborative); a mentee
 * that has since completed or withdrawn keeps its past contacts loggable.
 */
const logContact = (d: Cmd<'LogMentoringContact'>, s: MentoringState, ctx: MentoringContext): Events => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  const mentee = ctx.mentee;
  if (!mentee || mentee.status === 'none' || mentee.status === 'applied' || mentee.status === 'declined')
    return unprocessable('mentee_not_admitted', 'The mentee must be an agency admitted to the collaborative', 'menteeAgencyId');
  if (mentee.peerMentorId !== d.mentorAgencyId) return unprocessable('not_the_mentor', "This agency is not the mentee's peer mentor", 'menteeAgencyId');
  if (s.contacts.includes(d.contactId)) return conflict('contact_exists', 'The contact is already logged', 'contactId');
  const today = localDates(ctx.now).latest;
  if (d.contactedOn > today) return unprocessable('contacted_in_future', `contactedOn must not be after today (${today})`, 'contactedOn');
  requireWithinSpan(collab, d.contactedOn, 'contactedOn');
  return [{ type: 'MentoringContactLogged', data: d }];
};

const creditRecruitment = (d: Cmd<'CreditRecruitment'>, s: MentoringState, ctx: MentoringContext): Events => {
  requireOpenCollaborative(ctx.collaborative);
  if (d.mentorAgencyId === d.applicantAgencyId) return unprocessable('mentor_is_applicant', 'An agency cannot recruit itself', 'applicantAgencyId');
  if (!ctx.applicant || ctx.applicant.status === 'none') return notFound('application_not_found', 'No application from this agency');
  const mentor = ctx.mentor;
  if (!mentor || (mentor.status !== 'admitted' && mentor.status !== 'completed'))
    return unprocessable('mentor_not_eligible', 'The mentor must be admitted to, or have completed, mentorCollaborativeId', 'mentorCollaborativeId');
  if (s.recruits.includes(recruitKey(d.collaborativeId, d.applicantAgencyId)))
    return conflict('recruitment_already_credited', 'This mentor is already credited with this applicant', 'applicantAgencyId');
  return [{ type: 'RecruitmentCredited', data: { ...d, creditedAt: ctx.now } }];
};

export const decideMentoring = (command: MentoringCommand, state: MentoringState, ctx: MentoringContext): Events => {
  switch (command.type) {
    case 'LogMentoringContact':
      return logContact(command.data, state, ctx);
    case 'CreditRecruitment':
      return creditRecruitment(command.data, state, ctx);
    default:
      return assertNever(command);
  }
};
