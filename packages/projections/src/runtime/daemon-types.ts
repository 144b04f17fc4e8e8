import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { EventStore } from '@convene/eventstore';
import type { projectionStatus } from './instances';
import type { Logger, ProjectionRunner, RunnerOptions } from './runner';
import type { Projection } from './types';

export interface ProjectorOptions {
  pool: pg.Pool;
  db: Kysely<any>;
  store: EventStore;
  projections: Projection[];
  logger?: Logger;
  batchSize?: number;
  /** How often idle runners poll and the supervisor looks for instances to take (a NOTIFY may be missed). */
  pollIntervalMs?: number;
  /** Retry failed instances of this code's versions when starting (a restart after a fix). Default true. */
  resumeFailed?: boolean;
  beforeCommit?: RunnerOptions['beforeCommit'];
  /** How long a lease lasts without renewal (renewed every third of it). Default 30 s. */
  leaseTtlMs?: number;
  /** This process's name in the leases (default host:pid:random). */
  holderId?: string;
  /**
   * Least time between two reads of the feed by one group of runners while commits keep coming,
   * and between two wakes by commit notifications (default 50 ms): under load a read takes what
   * many commits left. Read models lag by at most this much more.
   */
  minReadIntervalMs?: number;
  /** Where to LISTEN for new events (a direct connection, not a transaction pooler). Default: the pool's. */
  listenUrl?: string;
}

/** What the daemon knows of its own connections (for a process's health report and tests). */
export interface ProjectorHealth {
  /** LISTEN connection up; while down the runners poll. */
  listening: boolean;
  /** Leases were renewed within their time to live. */
  leasesValid: boolean;
  lastError: string | null;
}

export interface RunningProjector {
  stop(): Promise<void>;
  isCaughtUp(position: number, names?: string[]): Promise<boolean>;
  status(): ReturnType<typeof projectionStatus>;
  /** Resolves when every projection this process runs has nothing left to apply and none is building. */
  idle(): Promise<void>;
  /** Schemas whose lease this process holds. */
  held(): string[];
  health(): ProjectorHealth;
  readonly holderId: string;
}

/** An instance this process holds the lease of. */
export interface Member {
  schema: string;
  projection: Projection;
  runner: ProjectionRunner;
  /** In a running pipeline. */
  busy: boolean;
  /** Not to be scheduled before (after an idle read or an error); 0: at once. */
  retryAt: number;
  /** Building a new version (role 'building' when its pipeline was scheduled): swaps in once caught up. */
  building?: boolean;
}
