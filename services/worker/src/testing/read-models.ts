import { directoryProjection, networkProjection, startProjectorRuntime, type RunningProjector } from '@convene/projections';
import type { EventStore } from '@convene/eventstore';
import type { TestDatabase } from '@convene/testkit';

// The read models the message kinds read their recipients from (kinds/read-models.ts, network-reader.ts), kept by a
// real projector runtime on the test database, as the projector process keeps them in production.

export function startReadModels(tdb: TestDatabase, store: EventStore): Promise<RunningProjector> {
  return startProjectorRuntime({ pool: tdb.pool, db: tdb.db, store, projections: [directoryProjection, networkProjection], pollIntervalMs: 50 });
}
