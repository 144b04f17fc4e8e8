import { streamIds } from '../shared/ids';
import type { AggregateDefinition, ContextRef } from '../shared/types';
import * as c from './commands';
import type { MentoringCommand } from './commands';
import { decideMentoring, type MentoringContext } from './decide';
import { mentoringEvents, type MentoringEvent } from './events';
import { evolveMentoring, initialMentoringState, type MentoringState } from './state';

const target = (d: { mentorAgencyId: string }) => streamIds.mentoring(d.mentorAgencyId);
const participation = (key: string, collaborativeId: string, agencyId: string): ContextRef => ({
  key,
  aggregate: 'participation',
  streamId: streamIds.participation(collaborativeId, agencyId),
});
const collaborative = (collaborativeId: string): ContextRef => ({ key: 'collaborative', aggregate: 'collaborative', streamId: streamIds.collaborative(collaborativeId) });

export const mentoring: AggregateDefinition<MentoringState, MentoringCommand, MentoringEvent, MentoringContext> = {
  name: 'mentoring',
  initialState: initialMentoringState,
  evolve: evolveMentoring,
  decide: decideMentoring,
  commands: {
    LogMentoringContact: {
      schema: c.LogMentoringContact,
      operationId: 'logMentoringContact',
      description: "A peer mentor logs a contact with one of its mentees (date, mode, topic, notes)",
      streamId: target,
      context: (d) => [collaborative(d.collaborativeId), participation('mentee', d.collaborativeId, d.menteeAgencyId)],
    },
    CreditRecruitment: {
      schema: c.CreditRecruitment,
      operationId: 'creditRecruitment',
      description: 'Credit a peer mentor with recruiting an applicant',
      streamId: target,
      context: (d) => [collaborative(d.collaborativeId), participation('applicant', d.collaborativeId, d.applicantAgencyId), participation('mentor', d.mentorCollaborativeId, d.mentorAgencyId)],
    },
  },
  events: mentoringEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
