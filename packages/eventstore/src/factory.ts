// The one way a process builds its event store (issue 12.13): the API, the projector, the worker,
// the CLI scripts and the benchmarks all call createEventStore, so every reader unseals personal
// values the same way (and every writer seals them). A store built without the hook would read
// `{"$pii": ...}` blobs where names are: a rebuild from it would swap such blobs into the read
// models. `new EventStore` stays for the event store's own tests of raw storage.
import { describePersonalData, domainUpcasters } from '@convene/domain';
import { EventStore, type EventStoreOptions } from './event-store';
import { createPersonalDataHook } from './personal-data';
import { UpcasterRegistry } from './upcasters';

/** The domain's upcasters (issue 15: the fixed NIATx counts read as `niatx` catalogue values). */
export function domainUpcasterRegistry(): UpcasterRegistry {
  const registry = new UpcasterRegistry();
  for (const u of domainUpcasters) registry.register(u.eventType, u.fromVersion, u.upcast);
  return registry;
}

export type CreateEventStoreOptions = Omit<EventStoreOptions, 'personalData'>;

/** The event store with the domain's personal-data descriptor (seal on append, unseal on read) and upcasters. */
export function createEventStore(options: CreateEventStoreOptions): EventStore {
  return new EventStore({ upcasters: domainUpcasterRegistry(), ...options, personalData: createPersonalDataHook({ pool: options.pool, describe: describePersonalData }) });
}
