import type { RecordedEvent } from '@convene/eventstore';
import type { Projection, RowRef, RowStore } from '../runtime/types';
import { typed } from './events';

const eventTypes = ['ChangeProjectStarted', 'PDSACycleLogged', 'ChangeProjectCompleted', 'ChangeProjectAbandoned'];

function refs(event: RecordedEvent): RowRef[] {
  const e = typed(event);
  if (e.type === 'PDSACycleLogged')
    return [{ table: 'change_projects', id: e.data.projectId }, { table: 'pdsa_cycles', id: `${e.data.projectId}_${e.data.cycleNumber}` }];
  if ('projectId' in e.data) return [{ table: 'change_projects', id: e.data.projectId }];
  return [];
}

function evolve(store: RowStore, event: RecordedEvent): void {
  const e = typed(event);
  const at = event.recordedAt.toISOString();
  switch (e.type) {
    case 'ChangeProjectStarted': {
      const d = e.data;
      store.put('change_projects', {
        // Issue 16: a system-level project (the payer's Change Team) has no agency.
        id: d.projectId, collaborative_id: d.collaborativeId, agency_id: d.agencyId ?? null, owner: d.owner?.kind ?? 'agency', title: d.title, aim: d.aim, measure: d.measure,
        baseline_value: d.baselineValue, target_value: d.targetValue, target_date: d.targetDate, change_idea: d.changeIdea,
        level_of_care: d.levelOfCare, team_size: d.team.length, team: d.team.map((m) => ({ name: m.name, role: m.role })), customers: d.customers ?? null, status: 'active',
        // Issue 16: a project recorded after the fact started on its business date, not when recorded;
        // else when the command was decided (metadata.occurredAt), which is when it started (the
        // store's clock, recordedAt, only for events written without it).
        started_at: d.startedOn ? `${d.startedOn}T00:00:00.000Z` : typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : at, cycles: 0, last_decision: null,
        ended_on: null, lessons: null, impact: null, sustain_plan: null, abandon_reason: null,
      });
      return;
    }
    case 'PDSACycleLogged': {
      const d = e.data;
      const project = store.get('change_projects', d.projectId);
      if (!project) return;
      store.put('pdsa_cycles', {
        id: `${d.projectId}_${d.cycleNumber}`, project_id: d.projectId, collaborative_id: d.collaborativeId, agency_id: d.agencyId ?? null,
        cycle_number: d.cycleNumber, begins_on: d.beginsOn, ends_on: d.endsOn, change_tested: d.changeTested, prediction: d.prediction,
        steps: d.steps, result: d.result, decision: d.decision, logged_at: at,
      });
      store.put('change_projects', { ...project, cycles: Number(project.cycles ?? 0) + 1, last_decision: d.decision });
      return;
    }
    case 'ChangeProjectCompleted': {
      const project = store.get('change_projects', e.data.projectId);
      if (project)
        store.put('change_projects', { ...project, status: 'completed', ended_on: e.data.actualEndOn, lessons: e.data.lessons, impact: e.data.impact, sustain_plan: e.data.sustainPlan });
      return;
    }
    case 'ChangeProjectAbandoned': {
      const project = store.get('change_projects', e.data.projectId);
      if (project) store.put('change_projects', { ...project, status: 'abandoned', ended_on: e.data.abandonedOn, abandon_reason: e.data.reason });
      return;
    }
    default:
      return;
  }
}

/** Change projects and their PDSA cycles (the timeline with each cycle's decision). */
export const changeProjectsProjection: Projection = {
  name: 'change_projects',
  // 2: cycle_number bigint (issue 12.2); 3: the team (names: personal, sealed in the event) and customers for the project resource.
  // 4: started_at is the command's time (metadata.occurredAt) when no startedOn is given, not the store's clock (issue 16).
  // 4 (issue 16): owner (agency or system); a system-level project's agency_id is null.
  version: 4,
  holdsPersonalData: true,
  eventTypes,
  refs,
  evolve,
  tables: [
    {
      name: 'change_projects',
      columns: {
        collaborative_id: 'text', agency_id: 'text', owner: 'text', title: 'text', aim: 'text', measure: 'text', baseline_value: 'double precision',
        target_value: 'double precision', target_date: 'text', change_idea: 'text', level_of_care: 'text', team_size: 'integer', team: 'jsonb', customers: 'text',
        status: 'text', started_at: 'text', cycles: 'integer', last_decision: 'text', ended_on: 'text', lessons: 'text', impact: 'text',
        sustain_plan: 'text', abandon_reason: 'text',
      },
      indexes: [['collaborative_id', 'agency_id']],
    },
    {
      name: 'pdsa_cycles',
      columns: {
        project_id: 'text', collaborative_id: 'text', agency_id: 'text', cycle_number: 'bigint', begins_on: 'text', ends_on: 'text',
        change_tested: 'text', prediction: 'text', steps: 'jsonb', result: 'text', decision: 'text', logged_at: 'text',
      },
      indexes: [['project_id', 'cycle_number']],
    },
  ],
};
