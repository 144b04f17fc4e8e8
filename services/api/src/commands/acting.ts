// Commands that name the person who does what they record: the reviewer who scored, the coach who
// gave the assistance or makes the visit. A key acts as its own actor (its actorId): only an admin
// key may record on behalf of another person (issue 12.8). Other person ids in commands are the
// object of the act, not its actor (AssignCoach names the coach an admin assigns), and are listed
// too so that a new command with a person field is classified before it ships (acting.int.test).
import type { CommandType } from '@convene/domain';
import { HttpProblem } from '../http/problem';
import type { Principal } from '../auth/keys';

/** The field naming who acts, per command that has one. */
export const actingPersonField: Partial<Record<CommandType, string>> = {
  ScoreApplication: 'reviewerId',
  RecordCoachingNote: 'coachId',
  ScheduleSiteVisit: 'coachId',
  // Issue 16: the coach who made a visit recorded after the fact.
  RecordHeldSiteVisit: 'coachId',
  AssessProgress: 'coachId',
};

/** Person-id fields that name whom an act is about, not who does it (reviewed, not checked). */
export const objectPersonFields: Partial<Record<CommandType, string[]>> = {
  AssignCoach: ['coachId'],
  // Issue 18: the coach an admin names for a plan's site visit (admin only).
  AdoptPlanEntry: ['coachId'],
  // Issue 16: whom a registration is for (an agency key: its own people only, meetings/registration-routes.ts).
  RegisterForMeeting: ['personId'],
  CancelMeetingRegistration: ['personId'],
  // Issue 16: the person registered or changed (only an unscoped admin writes people).
  RegisterPerson: ['personId'],
  ChangePersonContact: ['personId'],
  MovePerson: ['personId'],
  // Issue 16: whose role is removed; whose score an admin corrects (admin only: the reviewer's own record).
  RemoveSystemRole: ['personId'],
  RemoveAgencyRole: ['personId'],
  CorrectApplicationScore: ['reviewerId'],
};

/** Throws 403 when a key that is not an admin's names another person as the one acting. */
export function assertActsAsItself(principal: Principal, type: CommandType, data: Record<string, unknown>): void {
  const field = actingPersonField[type];
  if (!field || principal.role === 'admin') return;
  const named = data[field];
  if (typeof named === 'string' && named.toLowerCase() !== principal.actorId.toLowerCase()) {
    throw new HttpProblem(403, 'acting_for_another', `body.${field}: a ${principal.role} key acts as its own person (${field} must be the key's actor id)`, {
      errors: [{ path: `body.${field}`, message: "must be the key's actor id" }],
    });
  }
}
