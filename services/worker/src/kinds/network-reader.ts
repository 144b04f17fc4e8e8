import { ERASED_EMAIL } from '@convene/domain';
import type { Db } from '../types';
import { liveSchema } from './read-models';

// People of the organisations network (packages/projections models/network.ts, issue 16): a
// registered person's name and e-mail, the organisations' kinds, and who mentors whom. Read from
// the network read model's live instance (as new as the row's planning), never from the streams;
// that model is rebuilt after an erasure, so an erased person reads with the placeholder address
// and is left out here.

export interface NetworkPerson {
  personId: string;
  name: string;
  email: string;
  organisationId: string | null;
  organisationName: string | null;
  organisationKind: string | null;
}

/** Organisation kinds that are not providers: their registered people are stakeholders. */
export const STAKEHOLDER_KINDS = ['state_department', 'advocacy_group', 'training_centre', 'association', 'community_partner', 'payer'];

export interface NetworkReader {
  /** Registered people by id, by organisation, or of the given organisation kinds. */
  people(filter: { personIds?: string[]; organisationIds?: string[]; organisationKinds?: string[] }): Promise<NetworkPerson[]>;
  /** The peer mentors of a collaborative's agencies: the mentor agency and the collaborative it took part in. */
  mentors(collaborativeId: string): Promise<{ agencyId: string; collaborativeId: string }[]>;
}

export function networkReader(db: Db, atLeast: number): NetworkReader {
  let schema: Promise<string> | null = null;
  const table = async (name: string) => `"${await (schema ??= liveSchema(db, 'network', atLeast))}".${name}`;
  return {
    async people(filter) {
      const { rows } = await db.query<{ id: string; name: string | null; email: string | null; organisation_id: string | null; org_name: string | null; org_kind: string | null }>(
        `SELECT p.id, p.name, p.email, p.organisation_id, o.name AS org_name, o.kind AS org_kind
           FROM ${await table('people')} p LEFT JOIN ${await table('organisations')} o ON o.id = p.organisation_id
          WHERE ($1::text[] IS NULL OR p.id = ANY ($1)) AND ($2::text[] IS NULL OR p.organisation_id = ANY ($2)) AND ($3::text[] IS NULL OR o.kind = ANY ($3))
          ORDER BY p.id`,
        [filter.personIds ?? null, filter.organisationIds ?? null, filter.organisationKinds ?? null],
      );
      return rows
        .filter((r) => r.email && r.email !== ERASED_EMAIL)
        .map((r) => ({ personId: r.id, name: r.name ?? '', email: r.email!, organisationId: r.organisation_id, organisationName: r.org_name, organisationKind: r.org_kind }));
    },
    async mentors(collaborativeId) {
      const { rows } = await db.query<{ mentor_agency_id: string; mentor_collaborative_id: string | null }>(
        `SELECT DISTINCT mentor_agency_id, mentor_collaborative_id FROM ${await table('memberships')}
          WHERE collaborative_id = $1 AND mentor_agency_id IS NOT NULL AND status IN ('admitted', 'active', 'oriented')`,
        [collaborativeId],
      );
      return rows.map((r) => ({ agencyId: r.mentor_agency_id, collaborativeId: r.mentor_collaborative_id ?? collaborativeId }));
    },
  };
}
