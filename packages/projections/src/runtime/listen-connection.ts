import pg from 'pg';
import { EVENTS_CHANNEL } from '@convene/eventstore';
import type { Logger } from './runner';

export interface ListenConnectionOptions {
  /** A direct connection: LISTEN does not survive a transaction pooler. */
  connectionString: string;
  /** How long to wait before reopening a dropped connection. */
  retryMs: number;
  logger: Logger;
  /** A NOTIFY arrived, or the connection was (re)opened and events may have been missed. */
  onWake(): void;
  /** The connection went up or down (the runners poll while it is down). */
  onState(listening: boolean, error?: string): void;
}

export interface ListenConnection {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The projector's LISTEN connection. Losing it costs latency, never events: the runners poll
 * meanwhile, and the connection is reopened until stop() — so a failover or an idle reaper that
 * kills it is logged and healed rather than silently ending notifications.
 */
export function createListenConnection(options: ListenConnectionOptions): ListenConnection {
  const { connectionString, retryMs, logger } = options;
  let stopped = false;
  let listener: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;

  function retry() {
    if (!stopped && !timer) timer = setTimeout(() => ((timer = undefined), void open()), retryMs);
  }

  async function open(): Promise<void> {
    if (stopped) return;
    const client = new pg.Client({ connectionString, application_name: 'convene-projector-listen' });
    client.on('error', (err) => {
      if (listener !== client) return;
      listener = undefined;
      options.onState(false, err.message);
      logger.error({ err: err.message }, 'projector LISTEN connection lost: polling, reconnecting');
      void client.end().catch(() => undefined);
      retry();
    });
    client.on('notification', () => options.onWake());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      listener = client;
      options.onState(true);
      options.onWake(); // events may have arrived while it was down
    } catch (error) {
      options.onState(false, (error as Error).message);
      await client.end().catch(() => undefined);
      retry();
    }
  }

  return {
    start: open,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await listener?.end().catch(() => undefined);
    },
  };
}
