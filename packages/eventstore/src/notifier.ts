import type pg from 'pg';

export const EVENTS_CHANNEL = 'convene_events';

/**
 * Wakes subscribers after commits. NOTIFY inside the append would serialise every commit on
 * PostgreSQL's notify queue lock, so the store notifies after commit, from its own tiny
 * transaction, and coalesces: at most one NOTIFY in flight, one more if appends came meanwhile.
 * A lost notification only delays readers until their next poll.
 */
export class CommitNotifier {
  private inFlight = false;
  private dirty = false;

  constructor(private readonly pool: pg.Pool) {}

  ping(): void {
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    this.inFlight = true;
    this.pool
      .query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
        if (this.dirty) {
          this.dirty = false;
          this.ping();
        }
      });
  }
}
