import { streamIds } from '../shared/ids';
import type { AggregateDefinition, CommandSpec, ContextRef } from '../shared/types';
import * as c from './commands';
import type { ParticipationCommand } from './commands';
import { decideParticipation, type ParticipationContext } from './decide';
import { participationEvents, type ParticipationEvent } from './events';
import { evolveParticipation, initialParticipationState, type ParticipationState } from './state';

type Ids = { collaborativeId: string; agencyId: string };
const target = (d: Ids) => streamIds.participation(d.collaborativeId, d.agencyId);
const collab = (d: Ids): ContextRef[] => [
  { key: 'collaborative', aggregate: 'collaborative', streamId: streamIds.collaborative(d.collaborativeId) },
];
const spec = <D extends Ids>(schema: CommandSpec<D>['schema'], operationId: string, description: string): CommandSpec<D, ParticipationState> => ({
  schema,
  operationId,
  description,
  streamId: target,
  context: collab,
});

export const participation: AggregateDefinition<ParticipationState, ParticipationCommand, ParticipationEvent, ParticipationContext> = {
  name: 'participation',
  initialState: initialParticipationState,
  evolve: evolveParticipation,
  decide: decideParticipation,
  commands: {
    SubmitApplication: spec(c.SubmitApplication, 'submitApplication', 'An agency applies to the collaborative'),
    ScoreApplication: spec(c.ScoreApplication, 'scoreApplication', "Score an application against the convener's criteria"),
    AdmitAgency: spec(c.AdmitAgency, 'admitAgency', 'Admit a pending applicant into a cohort'),
    DeclineApplication: spec(c.DeclineApplication, 'declineApplication', 'Decline a pending application'),
    WithdrawAgency: spec(c.WithdrawAgency, 'withdrawAgency', 'An admitted agency withdraws'),
    AssignAgencyRole: spec(c.AssignAgencyRole, 'assignAgencyRole', 'Name the Executive Sponsor, Change Leader or a Change Team member'),
    AssignCoach: spec(c.AssignCoach, 'assignCoach', 'Assign a coach of the collaborative to the agency'),
    AssignPeerMentor: {
      ...spec(c.AssignPeerMentor, 'assignPeerMentor', 'Assign an agency of an earlier cohort, or of an earlier collaborative of the convener, as peer mentor'),
      context: (d) => [
        ...collab(d),
        { key: 'mentor', aggregate: 'participation', streamId: streamIds.participation(d.mentorCollaborativeId ?? d.collaborativeId, d.mentorAgencyId) },
        ...(d.mentorCollaborativeId && d.mentorCollaborativeId !== d.collaborativeId
          ? [{ key: 'mentorCollaborative', aggregate: 'collaborative' as const, streamId: streamIds.collaborative(d.mentorCollaborativeId) }]
          : []),
      ],
    },
    SubmitWalkThrough: spec(c.SubmitWalkThrough, 'submitWalkThrough', 'Submit the walk-through report'),
    RecordBaseline: spec(c.RecordBaseline, 'recordBaseline', 'Record the baseline counts (about two months)'),
    RecordMonthlyMeasures: spec(c.RecordMonthlyMeasures, 'recordMonthlyMeasures', 'Record the counts of a month'),
    CorrectMonthlyMeasures: spec(c.CorrectMonthlyMeasures, 'correctMonthlyMeasures', 'Correct the counts of a recorded month'),
    SaveMeasuresDraft: spec(c.SaveMeasuresDraft, 'saveMeasuresDraft', 'Save a draft of the values for a period (baseline or reporting period); validated, not yet submitted'),
    SubmitMeasures: spec(c.SubmitMeasures, 'submitMeasures', "Submit the values for a period against the collaborative's catalogue (or the saved draft)"),
    CorrectBaseline: spec(c.CorrectBaseline, 'correctBaseline', 'Correct the submitted baseline (values and optionally its span)'),
    CorrectMeasures: spec(c.CorrectMeasures, 'correctMeasures', 'Correct the values of a submitted reporting period'),
    AssessProgress: spec(c.AssessProgress, 'assessProgress', "A coach's assessment of the agency for a period: IHI progress score and comment"),
    RecordCoachingNote: spec(c.RecordCoachingNote, 'recordCoachingNote', 'Record technical assistance given by a coach'),
    CompleteParticipation: spec(c.CompleteParticipation, 'completeParticipation', 'The agency completes the collaborative'),
  },
  events: participationEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
