import pg from 'pg';

export const EVENTS_CHANNEL = 'convene_events';

/**
 * Wakes subscribers after commits. NOTIFY inside the append would serialise every commit on
 * PostgreSQL's notify queue lock, so the store notifies after commit, on a connection of its own
 * (never a pool slot an append needs), and coalesces: at most one NOTIFY per `minIntervalMs`, one
 * more if appends came meanwhile. A lost notification only delays readers until their next poll.
 * 50 ms (issue 13; 5, then 20): each NOTIFY is a round trip of the API and a transaction of the
 * server, and wakes every listener and its backend; the listeners read at most every 50 ms
 * (the projector's minReadIntervalMs) or 100 ms (webhook deliveries) however often they are
 * woken, so notifying more often only woke them for nothing. The first commit after a quiet
 * spell is still announced at once; under load a reader learns of a commit at most 50 ms later,
 * as soon as it would have read anyway.
 */
export class CommitNotifier {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client | undefined> | undefined;
  private inFlight = false;
  private dirty = false;
  private closed = false;

  constructor(
    private readonly connectionString: string | undefined,
    private readonly minIntervalMs = 50,
  ) {}

  ping(): void {
    if (this.closed) return;
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    this.inFlight = true;
    void this.send().finally(() => {
      setTimeout(() => {
        this.inFlight = false;
        if (this.dirty) {
          this.dirty = false;
          this.ping();
        }
      }, this.minIntervalMs).unref();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = await this.connecting?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private async send(): Promise<void> {
    try {
      const client = await this.connection();
      await client?.query(`NOTIFY ${EVENTS_CHANNEL}`);
    } catch {
      this.connecting = undefined; // reconnect on the next ping
    }
  }

  private connection(): Promise<pg.Client | undefined> {
    if (!this.connecting) {
      this.connecting = (async () => {
        const client = new pg.Client({ connectionString: this.connectionString, application_name: 'convene-notifier' });
        client.on('error', () => {
          this.connecting = undefined;
        });
        await client.connect();
        if (this.closed) {
          await client.end();
          return undefined;
        }
        this.client = client;
        return client;
      })();
    }
    return this.connecting;
  }
}
