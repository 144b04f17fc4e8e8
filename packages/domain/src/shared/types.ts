import type { ZodType } from 'zod';
import type { AggregateName } from './ids';

export type Command<T extends string = string, D = unknown> = { type: T; data: D };
export type DomainEvent<T extends string = string, D = unknown> = { type: T; data: D };

/** Comes with every command: time and who. `decide` never reads a clock; it reads `now`. */
export interface CommandMetadata {
  /** ISO timestamp. */
  now: string;
  actorId: string;
  actorRole: string;
  correlationId: string;
  causationId?: string | null;
  /** The server's unique id of the request. */
  requestId?: string | null;
  /** The id the client sent for its request (not unique, not trusted); kept apart from requestId. */
  clientRequestId?: string | null;
}

/** Events for the target stream, and events a decision appends to a context stream it read. */
export type Decision<E extends DomainEvent = DomainEvent> =
  | E[]
  | { events: E[]; also: { streamId: string; events: DomainEvent[] }[] };

export const decisionEvents = <E extends DomainEvent>(d: Decision<E>): E[] => (Array.isArray(d) ? d : d.events);
export const decisionAlso = (d: Decision): { streamId: string; events: DomainEvent[] }[] =>
  Array.isArray(d) ? [] : d.also;

/** A stream a command reads besides its target. Key `a.b` lands at context.a[b]. */
export interface ContextRef {
  key: string;
  aggregate: AggregateName;
  streamId: string;
}

/**
 * Streams a command reads that its data and state cannot name (issue 16: an agency's change
 * projects, some started before the participation stream listed them): the streams holding an
 * event of `eventType` whose data has the `match` fields (`collaborativeId` among them, so the
 * store's index answers). Each lands at context[key][streamId] and is checked as a guard.
 */
export interface StreamQuery {
  key: string;
  aggregate: AggregateName;
  eventType: string;
  match: { collaborativeId: string } & Record<string, string>;
}

export interface CommandSpec<D = any, S = any> {
  schema: ZodType<D>;
  /** camelCase command name (the OpenAPI operationId). */
  operationId: string;
  description: string;
  streamId: (data: D) => string;
  context?: (data: D, state: S) => ContextRef[];
  /** Streams found by a query of the store (see StreamQuery); ports without `findStreams` cannot run the command. */
  discover?: (data: D, state: S) => StreamQuery[];
}

export interface EventSpec {
  schema: ZodType;
  schemaVersion: number;
}

export interface AggregateDefinition<S = any, C extends Command = any, E extends DomainEvent = any, Ctx = any> {
  name: AggregateName;
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  /**
   * Many events at once, equal to reducing with `evolve`, never changing `state` (it may be
   * cached): for an aggregate whose lists grow with its history, a fold that copies each list once
   * rather than once per event (issue 13).
   */
  fold?: (state: S, events: readonly E[]) => S;
  decide: (command: C, state: S, context: Ctx) => Decision<E>;
  commands: { [K in C['type']]: CommandSpec<Extract<C, { type: K }>['data'], S> };
  events: { [K in E['type']]: EventSpec };
}

/** Every decider gets `now` (from the command metadata) in its context. */
export interface BaseContext {
  now: string;
}

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
};
