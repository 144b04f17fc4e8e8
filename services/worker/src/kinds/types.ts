import type pg from 'pg';
import type { EventStore, RecordedEvent } from '@convene/eventstore';
import type { DeliveryEventType } from '../delivery-events';
import type { DeliverySettings } from '../settings';
import type { Clock, Db } from '../types';
import type { DirectoryReader } from './read-models';
import type { NetworkReader } from './network-reader';

// A message kind is one module (services/worker/src/kinds/<kind>.ts): when it is planned (from
// events, or on the clock tick), who receives it (read from the read models when it is sent) and
// how it renders (text, HTML, .ics). startWorkers wires a list of kinds (kinds/index.ts).

export interface Recipient {
  personId?: string;
  name: string;
  email: string;
  /** The role code recorded in the delivery event (change_leader, executive_sponsor, coach, ...). */
  role: string;
  /** What the recipient is, for the "why you got this" line: "Change Leader of Agency 1". */
  as: string;
}

/** What a renderer needs of the collaborative and the agency (read-models.ts answers more). */
export interface CollabName {
  name: string;
  timeZone: string;
}
export interface AgencyLeaders {
  agencyName: string;
  leaders: Recipient[];
  /** A person reached beyond the agencies (meeting-people.ts): their own greeting and why line. */
  dear?: string;
  why?: string;
}
/** A rendered message, before the delivery event's fields are added. */
export type Rendered = Omit<Composed, 'extra'>;

/** A planned row of scheduled_deliveries. */
export interface PlannedRow {
  key: string;
  kind: string;
  collaborativeId: string;
  subjectId: string;
  dueAt: Date;
  payload: Record<string, unknown>;
}

/** A row as the sender claims it. */
export interface DeliveryRow {
  key: string;
  kind: string;
  collaborative_id: string;
  subject_id: string;
  payload: Record<string, any>;
  status: string;
  planned_at_position: number | null;
  accepted_at: Date | null;
  accepted_info: Record<string, unknown> | null;
}

/** What one message is: rendered parts, who gets it, and what its delivery event adds. */
export interface Composed {
  subject: string;
  text: string;
  html: string;
  ics?: string;
  recipients: Recipient[];
  /** Fields of the delivery event beyond the common ones (meetingId, visitId, months, ...). */
  extra: Record<string, unknown>;
}

/** What planning from one event may do, inside the planner's transaction. */
export interface PlanContext {
  db: Db;
  event: RecordedEvent;
  /** The time the command took effect (reminders already past at it are not planned). */
  now: Date;
  settings(collaborativeId: string): Promise<DeliverySettings>;
  insert(rows: PlannedRow[]): Promise<void>;
  /** Cancels the pending rows of a kind about a subject (a meeting moved, a visit cancelled). */
  cancel(subjectId: string, kind: string): Promise<void>;
  /**
   * The event's meeting row as the planner's bookkeeping just wrote it (attendance, minutes;
   * null: no such meeting planned), so a kind need not read it again; absent for other events.
   */
  meeting?: MeetingRow | null;
}

/** What a kind may read of worker_meetings without a query (PlanContext.meeting). */
export interface MeetingRow {
  absent: string[];
  minutes_published: boolean;
}

/** What composing a message may read when it is sent. */
export interface ComposeContext {
  pool: pg.Pool;
  store: EventStore;
  clock: Clock;
  /** People, agencies and collaboratives from the directory read model, at least as new as the row's planning. */
  directory: DirectoryReader;
  /** Registered people, organisations and mentors from the network read model (issue 16). */
  network: NetworkReader;
  /** Where the public site is (PUBLIC_BASE_URL): links in messages are built on it. */
  publicBaseUrl: string;
}

export interface MessageKind {
  /** scheduled_deliveries.kind and the delivery event's `kind`. */
  readonly name: string;
  /** The delivery event recorded once the SMTP server accepted the message. */
  readonly recordedAs: DeliveryEventType;
  /** Event types this kind plans from; the planner's own bookkeeping of the event runs first. */
  readonly plansOn?: readonly string[];
  plan?(ctx: PlanContext): Promise<void>;
  /** A row whose payload says fanOut: the rows it stands for, resolved when it is due (meeting-people.ts). */
  fanOut?(ctx: ComposeContext, row: DeliveryRow): Promise<PlannedRow[] | null>;
  /** Time-driven planning on each clock tick; returns the rows planned. */
  tick?(db: Db, now: Date): Promise<number>;
  /** The message for a row, resolved now; null when there is nothing (left) to send. */
  compose(ctx: ComposeContext, row: DeliveryRow): Promise<Composed | null>;
}
