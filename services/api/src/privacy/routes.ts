// POST /v1/privacy/erasures: erase a person's names and e-mails from every event by deleting
// their keys (crypto-shredding), and record the erasure as an event so read models can scrub.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withTransaction } from '@convene/db';
import { PersonalDataVault } from '@convene/eventstore';
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
  })
  .strict()
  .refine((r) => r.personId !== undefined || r.email !== undefined || r.name !== undefined, {
    message: 'give a personId, an email or a name',
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
      const { position, deleted } = await withTransaction(pool, async (client) => {
        const result = await eventStore.appendToStream(
          privacyStreamId(erasureId),
          [{ type: PERSONAL_DATA_ERASED, data: { erasureId, subjectIds } }],
          {
            expectedVersion: 'no_stream',
            client,
            metadata: { actorId: principal.actorId, actorRole: principal.role, correlationId: String(request.id), requestId: String(request.id) },
          },
        );
        return { position: result.lastPosition, deleted: await new PersonalDataVault(pool).erase(subjectIds, client) };
      });
      eventStore.notifyAppended();
      request.log.info({ erasureId, subjects: subjectIds.length, keysDeleted: deleted.length }, 'personal data erased');
      return reply.code(201).send({ erasureId, subjectIds, keysDeleted: deleted.length, position });
    },
  );
};
