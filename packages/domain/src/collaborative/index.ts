import type { AggregateDefinition } from '../shared/types';
import type { CollaborativeContext } from './corrections';
import { streamIds } from '../shared/ids';
import * as c from './commands';
import type { CollaborativeCommand } from './commands';
import { collaborativeEvents, type CollaborativeEvent } from './events';
import { decideCollaborative } from './decide';
import { evolveCollaborative, foldCollaborative, initialCollaborativeState, type CollaborativeState } from './state';

const target = (d: { collaborativeId: string }) => streamIds.collaborative(d.collaborativeId);

export const collaborative: AggregateDefinition<CollaborativeState, CollaborativeCommand, CollaborativeEvent, CollaborativeContext> = {
  name: 'collaborative',
  initialState: initialCollaborativeState,
  evolve: evolveCollaborative,
  fold: foldCollaborative,
  decide: decideCollaborative,
  commands: {
    LaunchCollaborative: { schema: c.LaunchCollaborative, operationId: 'launchCollaborative', description: 'Launch a learning collaborative', streamId: target },
    AppointSystemRole: { schema: c.AppointSystemRole, operationId: 'appointSystemRole', description: 'Appoint a system-level role (sponsor, change leader, data coordinator, coach)', streamId: target },
    OpenCohort: { schema: c.OpenCohort, operationId: 'openCohort', description: 'Open a cohort of agencies', streamId: target },
    RecordExpenditure: { schema: c.RecordExpenditure, operationId: 'recordExpenditure', description: 'Record an expenditure in cents', streamId: target },
    DefineMeasure: { schema: c.DefineMeasure, operationId: 'defineMeasure', description: "Add a measure to the collaborative's catalogue (a defined measure is never redefined)", streamId: target },
    RetireMeasure: { schema: c.RetireMeasure, operationId: 'retireMeasure', description: 'Retire a measure: its history stays, no new values are taken', streamId: target },
    StartChartPhase: { schema: c.StartChartPhase, operationId: 'startChartPhase', description: "Freeze a measure's centre line and limits over a span, or start a new phase after a sustained shift", streamId: target },
    CorrectCollaborativeDates: {
      schema: c.CorrectCollaborativeDates, operationId: 'correctCollaborativeDates', streamId: target,
      description: "Correct the collaborative's start and end dates (its cohorts, meetings and site visits must stay inside)",
      // Its meetings and visits, found by a query of the store: their dates must stay inside the new span.
      discover: (d) => [
        { key: 'meetings', aggregate: 'meeting', eventType: 'MeetingScheduled', match: { collaborativeId: d.collaborativeId } },
        { key: 'visits', aggregate: 'sitevisit', eventType: 'SiteVisitScheduled', match: { collaborativeId: d.collaborativeId } },
      ],
    },
    ChangeMeetingCadence: { schema: c.ChangeMeetingCadence, operationId: 'changeMeetingCadence', description: 'Change the meeting cadence (weekly, biweekly, monthly, quarterly)', streamId: target },
    RemoveSystemRole: { schema: c.RemoveSystemRole, operationId: 'removeSystemRole', description: 'Remove a system role from its holder, optionally appointing a successor', streamId: target },
    CorrectExpenditure: { schema: c.CorrectExpenditure, operationId: 'correctExpenditure', description: 'Correct a recorded expenditure (amount, category, date, note)', streamId: target },
    VoidExpenditure: { schema: c.VoidExpenditure, operationId: 'voidExpenditure', description: 'Void an expenditure recorded in error', streamId: target },
    SetBudget: { schema: c.SetBudget, operationId: 'setBudget', description: 'Set the budget of an expenditure category (replaces the earlier one)', streamId: target },
    CloseCollaborative: { schema: c.CloseCollaborative, operationId: 'closeCollaborative', description: 'Close the collaborative', streamId: target },
  },
  events: collaborativeEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
