import type { ColumnType, Generated } from 'kysely';
import type { Database } from '@convene/db';

// Kysely types of the worker's tables (migrations/0300_worker_deliveries.sql, 0710).

export type DeliveryStatus = 'pending' | 'dispatched' | 'sent' | 'cancelled' | 'skipped';

export interface ScheduledDeliveriesTable {
  key: string;
  kind: string;
  collaborative_id: string;
  subject_id: string;
  due_at: ColumnType<Date, Date | string, Date | string>;
  payload: unknown;
  status: Generated<DeliveryStatus>;
  planned_at_position: number | null;
  dispatched_at: Date | null;
  finished_at: Date | null;
  created_at: Generated<Date>;
  // migrations/0710: the sender's row claim, and the SMTP acceptance recorded before the event.
  claimed_by: string | null;
  claimed_until: Date | null;
  accepted_at: Date | null;
  accepted_info: unknown;
}

export interface WorkerCheckpointsTable {
  name: string;
  position: number;
  updated_at: Generated<Date>;
}

export interface DeliverySettingsTable {
  collaborative_id: string;
  settings: unknown;
  updated_at: Generated<Date>;
}

export interface WorkerMeetingsTable {
  meeting_id: string;
  collaborative_id: string;
  starts_at: Date;
  status: string;
  invited: string[];
  absent: Generated<string[]>;
  minutes_published: Generated<boolean>;
  /** Invitees beyond the agencies (people, organisations, audiences): its messages fan out per person too. */
  others: Generated<boolean>;
}

export interface WorkerCollaborativesTable {
  collaborative_id: string;
  starts_on: string;
  ends_on: string;
  closed: Generated<boolean>;
  /** The catalogue has monthly measures (issue 15); monthly data-due reminders only then. */
  monthly_data: Generated<boolean>;
  /** The catalogue has quarterly measures (issue 15): quarterly data-due reminders. */
  quarterly_data: Generated<boolean>;
}

export interface WorkerAgenciesTable {
  collaborative_id: string;
  agency_id: string;
  active: boolean;
  baseline_to: string | null;
  months: Generated<string[]>;
  /** Quarters submitted (yyyy-Qn). */
  quarters: Generated<string[]>;
}

export interface WorkerTables {
  scheduled_deliveries: ScheduledDeliveriesTable;
  worker_checkpoints: WorkerCheckpointsTable;
  delivery_settings: DeliverySettingsTable;
  worker_meetings: WorkerMeetingsTable;
  worker_collaboratives: WorkerCollaborativesTable;
  worker_agencies: WorkerAgenciesTable;
}

export type WorkerDatabase = Database & WorkerTables;
