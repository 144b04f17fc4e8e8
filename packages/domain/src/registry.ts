import type { ZodType } from 'zod';
import { changeProject, type ChangeProjectCommand, type ChangeProjectEvent } from './change-project';
import { collaborative, type CollaborativeCommand, type CollaborativeEvent } from './collaborative';
import { document, type DocumentCommand, type DocumentEvent } from './document';
import { meeting, type MeetingCommand, type MeetingEvent } from './meeting';
import { mentoring, type MentoringCommand, type MentoringEvent } from './mentoring';
import { organisation, type OrganisationCommand, type OrganisationEvent } from './organisation';
import { personAggregate, type PersonCommand, type PersonEvent } from './person';
import { participation, type ParticipationCommand, type ParticipationEvent } from './participation';
import type { AggregateName } from './shared/ids';
import type { AggregateDefinition, CommandSpec } from './shared/types';
import { siteVisit, type SiteVisitCommand, type SiteVisitEvent } from './site-visit';

export const aggregates = {
  collaborative,
  participation,
  changeproject: changeProject,
  sitevisit: siteVisit,
  meeting,
  document,
  organisation,
  person: personAggregate,
  mentoring,
} satisfies Record<AggregateName, AggregateDefinition>;

export type DomainCommand = CollaborativeCommand | ParticipationCommand | ChangeProjectCommand | SiteVisitCommand | MeetingCommand | DocumentCommand | OrganisationCommand | PersonCommand | MentoringCommand;
export type AnyDomainEvent = CollaborativeEvent | ParticipationEvent | ChangeProjectEvent | SiteVisitEvent | MeetingEvent | DocumentEvent | OrganisationEvent | PersonEvent | MentoringEvent;
export type CommandType = DomainCommand['type'];
export type EventType = AnyDomainEvent['type'];

export interface CommandRegistryEntry extends CommandSpec {
  aggregate: AggregateName;
  /** The command data schema (zod, strict). */
  schema: ZodType;
}
export interface EventRegistryEntry {
  aggregate: AggregateName;
  schema: ZodType;
  schemaVersion: number;
}

const entries = Object.values(aggregates) as AggregateDefinition[];

/** Command type (PascalCase) -> aggregate, data schema, operationId, target stream. */
export const commandRegistry: Record<string, CommandRegistryEntry> = Object.fromEntries(
  entries.flatMap((a) =>
    Object.entries(a.commands as Record<string, CommandSpec>).map(([type, spec]) => [type, { ...spec, aggregate: a.name }]),
  ),
);

/** Event type -> data schema, schema version, aggregate. */
export const eventSchemas: Record<string, EventRegistryEntry> = Object.fromEntries(
  entries.flatMap((a) =>
    Object.entries(a.events as Record<string, { schema: ZodType; schemaVersion: number }>).map(([type, spec]) => [
      type,
      { ...spec, aggregate: a.name },
    ]),
  ),
);

export const commandTypes = Object.keys(commandRegistry) as CommandType[];
export const eventTypes = Object.keys(eventSchemas) as EventType[];
export const isCommandType = (type: string): type is CommandType => Object.hasOwn(commandRegistry, type);
