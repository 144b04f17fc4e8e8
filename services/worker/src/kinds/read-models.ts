import { ERASED_EMAIL } from '@convene/domain';
import type { Db } from '../types';
import type { Recipient } from './types';
import { NOT_REMOVED, type DirectoryPersonRow } from '@convene/projections';

// Who receives a message is read from the directory read model (packages/projections
// models/directory.ts: collaboratives, applications, people), not folded from the streams when
// it is sent. A read model trails the log, so a row is composed only from a live instance that has
// passed the position its row was planned at; else ReadModelBehind, and the job waits (index.ts)
// without spending an attempt.

export class ReadModelBehind extends Error {
  constructor(
    readonly projection: string,
    readonly position: number | null,
    readonly needed: number,
  ) {
    super(`read model ${projection} is ${position === null ? 'not built yet' : `at ${position}, behind ${needed}`}`);
    this.name = 'ReadModelBehind';
  }
}

const ROLE_LABELS: Record<string, string> = {
  change_leader: 'Change Leader',
  executive_sponsor: 'Executive Sponsor',
  change_team_member: 'change team member',
  data_coordinator: 'Data Coordinator',
  coach: 'coach',
  convener_contact: 'convener contact',
  agency_contact: 'application contact',
};
export const roleLabel = (role: string) => ROLE_LABELS[role] ?? role.replace(/_/g, ' ');

export interface CollaborativeInfo {
  collaborativeId: string;
  name: string;
  /** IANA zone every message states its times in (set at launch; UTC for older collaboratives). */
  timeZone: string;
  convener: Recipient | null;
}

export interface AgencyInfo {
  agencyId: string;
  agencyName: string;
  cohortId: string | null;
  status: string | null;
  /** Change Leader and Executive Sponsor; the application contact when neither is assigned. */
  leaders: Recipient[];
}

/** A person row of the directory, as an audience query answers it. */
export type PersonRow = DirectoryPersonRow;

export interface DirectoryReader {
  collaborative(collaborativeId: string): Promise<CollaborativeInfo>;
  agency(collaborativeId: string, agencyId: string): Promise<AgencyInfo>;
  staff(collaborativeId: string, role: string, personId: string): Promise<Recipient | null>;
  /** Rows of the people table of a collaborative, filtered by kind and role. */
  people(collaborativeId: string, filter: { kinds: string[]; roles?: string[]; agencyIds?: string[] }): Promise<PersonRow[]>;
  /** Admitted agencies (id, name, cohort) of a collaborative. */
  agencies(collaborativeId: string, cohortId?: string): Promise<{ agencyId: string; agencyName: string; cohortId: string | null }[]>;
}


/** The live directory instance's schema, provided it has applied every event up to `atLeast`. */
export const liveDirectorySchema = (db: Db, atLeast: number): Promise<string> => liveSchema(db, 'directory', atLeast);

/** The live instance's schema of a projection (directory, network), provided it has applied every event up to `atLeast`. */
export async function liveSchema(db: Db, projection: string, atLeast: number): Promise<string> {
  const { rows } = await db.query<{ schema_name: string; position: string }>(
    `SELECT schema_name, position FROM projection_instances WHERE name = $1 AND role = 'live'`,
    [projection],
  );
  const live = rows[0];
  if (!live) throw new ReadModelBehind(projection, null, atLeast);
  if (Number(live.position) < atLeast) throw new ReadModelBehind(projection, Number(live.position), atLeast);
  if (!/^[a-z0-9_]+$/.test(live.schema_name)) throw new Error(`unexpected schema name ${live.schema_name}`);
  return live.schema_name;
}

export function directoryReader(db: Db, atLeast: number): DirectoryReader {
  let schema: Promise<string> | null = null;
  const table = async (name: string) => `"${await (schema ??= liveDirectorySchema(db, atLeast))}".${name}`;
  const asRecipient = (p: PersonRow, as: string): Recipient | null =>
    // An erased person's placeholder is no address: nobody to send to.
    p.email && p.email !== ERASED_EMAIL ? { ...(p.person_id ? { personId: p.person_id } : {}), name: p.name ?? '', email: p.email, role: p.role, as } : null;

  return {
    async collaborative(collaborativeId) {
      // to_jsonb: instances built before the time_zone column read as UTC.
      const { rows } = await db.query<{ name: string; time_zone: string | null }>(
        `SELECT name, to_jsonb(c) ->> 'time_zone' AS time_zone FROM ${await table('collaboratives')} c WHERE id = $1`,
        [collaborativeId],
      );
      const [convener] = await this.people(collaborativeId, { kinds: ['convener'] });
      const name = rows[0]?.name ?? 'Learning collaborative';
      return {
        collaborativeId,
        name,
        timeZone: rows[0]?.time_zone ?? 'UTC',
        convener: convener ? asRecipient(convener, 'the convener') : null,
      };
    },
    async agency(collaborativeId, agencyId) {
      const { rows } = await db.query<{ agency_name: string; cohort_id: string | null; status: string }>(
        `SELECT agency_name, cohort_id, status FROM ${await table('applications')} WHERE collaborative_id = $1 AND agency_id = $2`,
        [collaborativeId, agencyId],
      );
      const agencyName = rows[0]?.agency_name ?? 'Your agency';
      const people = await this.people(collaborativeId, { kinds: ['agency_role', 'contact'], roles: ['change_leader', 'executive_sponsor', 'agency_contact'], agencyIds: [agencyId] });
      const byRole = (role: string) => people.filter((p) => p.role === role);
      const chosen = [...byRole('change_leader'), ...byRole('executive_sponsor')];
      const leaders = (chosen.length > 0 ? chosen : byRole('agency_contact'))
        .map((p) => asRecipient(p, `${roleLabel(p.role)} of ${agencyName}`))
        .filter((r): r is Recipient => r !== null);
      return { agencyId, agencyName, cohortId: rows[0]?.cohort_id ?? null, status: rows[0]?.status ?? null, leaders };
    },
    async staff(collaborativeId, role, personId) {
      const { rows } = await db.query<PersonRow>(
        `SELECT kind, role, person_id, name, email, agency_id, organisation FROM ${await table('people')} people
          WHERE collaborative_id = $1 AND kind = 'staff' AND role = $2 AND person_id = $3 AND ${NOT_REMOVED}`,
        [collaborativeId, role, personId],
      );
      return rows[0] ? asRecipient(rows[0], roleLabel(role)) : null;
    },
    async people(collaborativeId, filter) {
      const { rows } = await db.query<PersonRow>(
        `SELECT kind, role, person_id, name, email, agency_id, organisation FROM ${await table('people')} people
          WHERE collaborative_id = $1 AND kind = ANY ($2) AND ($3::text[] IS NULL OR role = ANY ($3)) AND ($4::text[] IS NULL OR agency_id = ANY ($4))
            AND ${NOT_REMOVED}
          ORDER BY agency_id NULLS FIRST, role, id`,
        [collaborativeId, filter.kinds, filter.roles ?? null, filter.agencyIds ?? null],
      );
      return rows;
    },
    async agencies(collaborativeId, cohortId) {
      const { rows } = await db.query<{ agency_id: string; agency_name: string; cohort_id: string | null }>(
        // Still taking part: neither withdrawn nor completed (directory v3; read through to_jsonb, so a
        // v2 instance still live while v3 is built answers too, as before).
        `SELECT agency_id, agency_name, cohort_id FROM ${await table('applications')} AS applications
          WHERE collaborative_id = $1 AND status = 'admitted' AND ($2::text IS NULL OR cohort_id = $2)
            AND to_jsonb(applications)->>'participation_ended' IS NULL
          ORDER BY agency_name, agency_id`,
        [collaborativeId, cohortId ?? null],
      );
      return rows.map((r) => ({ agencyId: r.agency_id, agencyName: r.agency_name, cohortId: r.cohort_id }));
    },
  };
}
