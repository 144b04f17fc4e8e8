// POST /v1/privacy/erasures: erase a person's names and e-mails from every event by deleting
// their keys (crypto-shredding), and record the erasure as an event so read models can scrub.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withTransaction } from '@convene/db';
import type pg from 'pg';
import { PersonalDataVault, plainValuesOf } from '@convene/eventstore';
import { projections, scrubErasedValues, type ScrubTarget } from '@convene/projections';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { principalOf } from '../auth/plugin';
import { requireGlobalAdmin } from '../auth/global';
import { ProblemSchema } from '../http/problem';
import { subjectsOf } from './descriptor';

export const PERSONAL_DATA_ERASED = 'PersonalDataErased';
export const privacyStreamId = (erasureId: string) => `privacy-${erasureId}`;

const ErasureRequestSchema = z
  .object({
    personId: z.uuid().optional().describe('Erases values of events that name this person id'),
    email: z.email().optional().describe('Erases application contacts with this e-mail'),
    name: z.string().trim().min(1).max(200).optional().describe('Erases bare names (team members, attendees, PDSA step owners)'),
    collaborativeId: z.uuid().optional().describe("Erases the collaborative's free text with no named author (findings, minutes, site-visit summaries)"),
  })
  .strict()
  .refine((r) => r.personId !== undefined || r.email !== undefined || r.name !== undefined || r.collaborativeId !== undefined, {
    message: 'give a personId, an email, a name or a collaborativeId',
  })
  .meta({ id: 'ErasureRequest' });

const ErasureSchema = z
  .object({
    erasureId: z.string(),
    subjectIds: z.array(z.string()).describe('Pseudonymous subject ids whose keys were deleted (never the name or e-mail)'),
    keysDeleted: z.number().int().describe('How many of the subjects had a key (0: nothing of theirs was stored)'),
    position: z.number().int().describe('Global position of the PersonalDataErased event'),
  })
  .meta({ id: 'Erasure' });

/**
 * Every projection instance that may be read or swapped in (live and building), locked as a
 * projector batch locks its instance before writing rows: the scrub and a batch queue instead of
 * deadlocking on each other's rows.
 */
async function scrubTargets(client: Pick<pg.PoolClient, 'query'>): Promise<ScrubTarget[]> {
  const { rows } = await client.query<{ name: string; schema_name: string }>(
    "SELECT name, schema_name FROM projection_instances WHERE role <> 'retired' ORDER BY schema_name FOR UPDATE",
  );
  return rows.flatMap((r) => {
    const projection = projections.find((p) => p.name === r.name);
    return projection ? [{ schema: r.schema_name, tables: projection.tables }] : [];
  });
}

export const privacyPlugin: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/privacy/erasures',
    {
      schema: {
        operationId: 'erasePersonalData',
        tags: ['privacy'],
        summary: 'Erase a person: delete their data keys; their names and e-mails then read as "[erased]"',
        description: 'Admin only. Appends `PersonalDataErased` and deletes the keys in one transaction; read models holding personal data rebuild.',
        body: ErasureRequestSchema,
        response: { 201: ErasureSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
      preHandler: requireGlobalAdmin,
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const subjectIds = subjectsOf(request.body);
      const erasureId = uuidv7();
      const { eventStore, pool } = app.deps;
      // One transaction: the event first (an append must be its transaction's first write), then
      // the keys. Either both happen or neither does.
      const { position, deleted, scrubbed } = await withTransaction(pool, async (client) => {
        const result = await eventStore.appendToStream(
          privacyStreamId(erasureId),
          [{ type: PERSONAL_DATA_ERASED, data: { erasureId, subjectIds } }],
          {
            expectedVersion: 'no_stream',
            client,
            metadata: { actorId: principal.actorId, actorRole: principal.role, correlationId: String(request.id), requestId: String(request.id) },
          },
        );
        // The live read models lose the values at once (issue 12.14): read them while the keys
        // still exist, replace them by their placeholders, then delete the keys; one commit.
        const vault = new PersonalDataVault(pool);
        const values = await plainValuesOf(client, vault, subjectIds);
        const scrubbed = await scrubErasedValues(client, await scrubTargets(client), values);
        return { position: result.lastPosition, deleted: await vault.erase(subjectIds, client), scrubbed };
      });
      eventStore.notifyAppended();
      request.log.info({ erasureId, subjects: subjectIds.length, keysDeleted: deleted.length, readModelRowsScrubbed: scrubbed }, 'personal data erased');
      return reply.code(201).send({ erasureId, subjectIds, keysDeleted: deleted.length, position });
    },
  );
};
