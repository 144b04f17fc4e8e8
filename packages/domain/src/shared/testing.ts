// Test helpers: given(events).when(command).then(events | error). Only tests import this file.
import { expect } from '@jest/globals';
import { eventSchemas } from '../registry';
import { DomainError, type DomainErrorKind } from './errors';
import { decisionAlso, decisionEvents, type AggregateDefinition, type Command, type DomainEvent } from './types';

/** Every emitted event must parse under its own schema. */
export const expectEventsParse = (events: readonly DomainEvent[]) => {
  for (const e of events) {
    const spec = eventSchemas[e.type];
    expect(spec).toBeDefined();
    const parsed = spec?.schema.safeParse(e.data);
    if (!parsed?.success) throw new Error(`${e.type} does not parse: ${JSON.stringify(parsed?.error.issues)}`);
  }
};

export const given = <S, C extends Command, E extends DomainEvent, Ctx>(
  def: AggregateDefinition<S, C, E, Ctx>,
  events: readonly NoInfer<E>[],
  context: NoInfer<Ctx>,
) => ({
  when: (command: NoInfer<C>) => {
    const run = () => def.decide(command, events.reduce(def.evolve, def.initialState()), context);
    return {
      then(expected: NoInfer<E>[], also?: { streamId: string; events: DomainEvent[] }[]) {
        const decision = run();
        expect(decisionEvents(decision)).toEqual(expected);
        expectEventsParse(decisionEvents(decision));
        if (also) expect(decisionAlso(decision)).toEqual(also);
        decisionAlso(decision).forEach((a) => expectEventsParse(a.events));
      },
      thenFails(code: string, kind?: DomainErrorKind, field?: string) {
        let thrown: unknown;
        try {
          run();
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(DomainError);
        const e = thrown as DomainError;
        expect(e.code).toBe(code);
        if (kind) expect(e.kind).toBe(kind);
        if (field) expect(e.field).toBe(field);
      },
    };
  },
});
