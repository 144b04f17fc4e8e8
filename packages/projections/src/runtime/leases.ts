import { sql, type Kysely } from 'kysely';
import type { Logger } from './runner';

export interface LeaseKeeperOptions {
  db: Kysely<any>;
  holderId: string;
  /** How long a lease lasts without renewal. */
  ttlMs: number;
  logger: Logger;
  /** Schemas this process holds now (the daemon's own map is the truth). */
  held(): string[];
  /** Another process took this lease (ours had expired): stop running it. */
  onLost(schema: string): void;
  /** Renewals failed past the lease time: every lease is gone. */
  onExpired(reason: string): void;
  onError(message: string): void;
  onRenewed(): void;
}

/**
 * Projection leases as row claims with an expiry (projection_instances.claimed_by/claimed_until)
 * rather than session advisory locks: a claim is an ordinary UPDATE, so it works through a
 * transaction pooler, and a dead holder's claim simply expires and can be taken over.
 */
export class LeaseKeeper {
  /** Our leases are valid until then (the last successful renewal's start plus the time to live). */
  private validUntil = 0;
  private renewing = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** Claims an instance's lease: free, already ours, or expired (its holder stopped renewing). */
  async claim(schema: string): Promise<boolean> {
    const { db, holderId, ttlMs } = this.options;
    const started = Date.now();
    const { rows } = await sql<{ schema_name: string }>`
      UPDATE projection_instances SET claimed_by = ${holderId}, claimed_until = now() + make_interval(secs => ${ttlMs / 1000})
       WHERE schema_name = ${schema} AND (claimed_by IS NULL OR claimed_by = ${holderId} OR claimed_until < now())
       RETURNING schema_name`.execute(db);
    if (rows.length === 0) return false;
    if (this.options.held().length === 0) this.validUntil = started + ttlMs;
    return true;
  }

  async release(schema: string): Promise<void> {
    await sql`UPDATE projection_instances SET claimed_by = NULL, claimed_until = NULL
               WHERE schema_name = ${schema} AND claimed_by = ${this.options.holderId}`
      .execute(this.options.db)
      .catch(() => undefined);
  }

  /** Releases every lease still naming this holder, whether or not the daemon's map knows it. */
  async releaseAll(): Promise<void> {
    await sql`UPDATE projection_instances SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ${this.options.holderId}`
      .execute(this.options.db)
      .catch(() => undefined);
  }

  /**
   * Renews every lease held. A lease found taken (it expired and another process claimed it)
   * is dropped; while renewals fail, every lease is dropped once its time has run out, so a
   * process cut off from the database never keeps writing under a lease another may hold.
   */
  async renew(): Promise<void> {
    const { db, holderId, ttlMs, logger } = this.options;
    const schemas = this.options.held();
    if (this.renewing || schemas.length === 0) return;
    this.renewing = true;
    const started = Date.now();
    try {
      const { rows } = await sql<{ schema_name: string }>`
        UPDATE projection_instances SET claimed_until = now() + make_interval(secs => ${ttlMs / 1000})
         WHERE schema_name = ANY(${schemas}::text[]) AND claimed_by = ${holderId}
         RETURNING schema_name`.execute(db);
      this.validUntil = started + ttlMs;
      this.options.onRenewed();
      const kept = new Set(rows.map((r) => r.schema_name));
      for (const schema of schemas) if (!kept.has(schema)) this.options.onLost(schema);
    } catch (error) {
      const message = (error as Error).message;
      this.options.onError(message);
      logger.error({ err: message }, 'projection lease renewal failed; retrying');
      if (Date.now() >= this.validUntil) this.options.onExpired('lease renewal failing past the lease time');
    } finally {
      this.renewing = false;
    }
  }
}
