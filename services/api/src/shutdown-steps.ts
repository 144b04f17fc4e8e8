import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { EventStore } from '@convene/eventstore';
import { shutdownTracing, type ShutdownStep } from '@convene/runtime';

export interface ApiProcessParts {
  app: { close(): Promise<unknown> };
  webhooks: { stop(): Promise<unknown> };
  idempotencySweep: { stop(): unknown };
  eventStore: EventStore;
  redis: Redis;
  db: Kysely<any>;
  database: { close(): Promise<unknown> };
}

/**
 * The order a process running the API stops in: stop taking requests and let those in flight
 * finish, then the background loops that write (webhooks, the sweep, and whatever the process
 * adds — `npm start` adds the workers and the projector), then the connections, the traces, and
 * PostgreSQL itself last (when this process started it), so nothing writes to a closed pool.
 */
export function apiShutdownSteps(parts: ApiProcessParts, consumers: ShutdownStep[] = []): ShutdownStep[] {
  return [
    { name: 'http', run: () => parts.app.close() },
    { name: 'webhooks', run: () => parts.webhooks.stop() },
    { name: 'idempotency sweep', run: async () => parts.idempotencySweep.stop() },
    ...consumers,
    {
      name: 'connections',
      run: async () => {
        await parts.eventStore.close();
        parts.redis.disconnect();
        await parts.db.destroy();
      },
    },
    { name: 'traces', run: () => shutdownTracing() },
    { name: 'postgres', run: () => parts.database.close() },
  ];
}
