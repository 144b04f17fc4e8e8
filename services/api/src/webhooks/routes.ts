// Webhook subscriptions for integrators (admins only): create (the secret is shown once), list,
// get, delete (deactivate), and each subscription's delivery log. Deliveries are made by the loop
// in ./deliveries (startWebhookDeliveries), not by the API process's request handlers.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../auth/keys';
import { principalOf, requireRole } from '../auth/plugin';
import { decodeCursor, encodeCursor, PageQuerySchema, pageSchema } from '../http/pagination';
import { HttpProblem, ProblemSchema } from '../http/problem';
import {
  createSubscription,
  deactivateSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  type WebhookSubscription,
} from './subscriptions';
import { createSecretBox, parseSecretKey } from './secret-box';
import { parseTargetPolicy, resolveTarget, WebhookTargetRefused } from './target-policy';

const WebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe('Where the events are POSTed (http or https)');

const CreateWebhookSchema = z
  .object({
    url: WebhookUrl,
    types: z.array(z.string().trim().min(1).max(200)).max(100).optional().describe('Event types to deliver (all when absent or empty)'),
    collaborativeId: z.uuid().optional().describe('Only events about this collaborative (required for a key scoped to collaboratives)'),
    description: z.string().trim().max(500).optional(),
    after: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Deliver the events after this global position (0: the whole history); default: from now on'),
  })
  .strict()
  .meta({ id: 'CreateWebhookSubscription' });

const WebhookSchema = z
  .object({
    subscriptionId: z.string(),
    url: z.string(),
    types: z.array(z.string()).nullable().describe('null: every event type'),
    collaborativeId: z.string().nullable().describe('null: every collaborative'),
    description: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
    deactivatedAt: z.string().nullable(),
    position: z.number().int().describe('Checkpoint: the last global position delivered'),
    failures: z.number().int().describe('Consecutive failed attempts of the current batch'),
    nextAttemptAt: z.string().nullable().describe('While retrying: the next attempt is not before this time'),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookSubscription' });

const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().describe('`whsec_` + base64: the key of the Convene-Signature and the Standard Webhooks `webhook-signature` headers (docs/webhooks.md); shown only in this response'),
}).meta({ id: 'CreatedWebhookSubscription' });

const DeliverySchema = z
  .object({
    deliveryId: z.string().describe('The Convene-Delivery header of the attempt'),
    attemptedAt: z.string(),
    attempt: z.number().int().describe('1 for the first POST of a batch, 2 for its first retry, ...'),
    fromPosition: z.number().int().describe('Global position of the first event of the batch'),
    toPosition: z.number().int().describe('Global position of the last event of the batch'),
    eventCount: z.number().int(),
    httpStatus: z.number().int().nullable().describe('null when no response came'),
    error: z.string().nullable(),
    durationMs: z.number().int(),
    succeeded: z.boolean(),
  })
  .meta({ id: 'WebhookDelivery' });

const Params = z.object({ subscriptionId: z.uuid() });
const isUuid = (v: unknown): v is string => z.uuid().safeParse(v).success;
const badCursor = () =>
  new HttpProblem(400, 'validation_error', 'query.cursor: Invalid cursor', { errors: [{ path: 'query.cursor', message: 'Invalid cursor' }] });
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };
const createProblems = { ...problems, 503: ProblemSchema };

/** A convener-wide admin sees every subscription; a scoped admin those of its collaboratives. */
const visibleTo = (principal: Principal, sub: WebhookSubscription): boolean =>
  principal.collaborativeIds === null || (sub.collaborativeId !== null && principal.collaborativeIds.includes(sub.collaborativeId));

export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config } = app.deps;
  const policy = parseTargetPolicy(config.WEBHOOK_ALLOWED_HOSTS);
  const key = app.deps.webhookSecretKey ?? (config.WEBHOOK_SECRET_KEY ? parseSecretKey(config.WEBHOOK_SECRET_KEY) : undefined);
  const box = key ? createSecretBox(key) : undefined;
  const loadVisible = async (principal: Principal, subscriptionId: string): Promise<WebhookSubscription> => {
    const sub = await getSubscription(app.deps.pool, subscriptionId);
    if (!sub || !visibleTo(principal, sub)) throw new HttpProblem(404, 'webhook_not_found', 'No such webhook subscription');
    return sub;
  };

  app.post(
    '/v1/webhooks',
    {
      schema: {
        operationId: 'createWebhook',
        tags: ['webhooks'],
        summary: 'Subscribe a URL to the event feed (HMAC-signed POSTs, in order, at least once); returns the secret once',
        description: 'Admin only. `Location` names the subscription.',
        body: CreateWebhookSchema,
        response: { 201: CreatedWebhookSchema, ...createProblems },
      },
      preHandler: requireRole('admin'),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { url, types, collaborativeId, description, after } = request.body;
      if (principal.collaborativeIds !== null && (collaborativeId === undefined || !principal.collaborativeIds.includes(collaborativeId))) {
        throw new HttpProblem(403, 'out_of_scope', 'This API key may only subscribe to events of its own collaboratives (give collaborativeId)');
      }
      if (!box) throw new HttpProblem(503, 'webhooks_not_configured', 'Webhooks need WEBHOOK_SECRET_KEY (secrets are stored encrypted)');
      // Internal targets are refused after resolution (deliveries check again at each connect).
      try {
        await resolveTarget(url, policy);
      } catch (error) {
        if (!(error instanceof WebhookTargetRefused)) throw error;
        throw new HttpProblem(400, 'webhook_target_refused', `body.url: ${error.message} (allow on-premise receivers with WEBHOOK_ALLOWED_HOSTS)`, {
          errors: [{ path: 'body.url', message: error.message }],
        });
      }
      // Default start: the newest settled event now, so every event committed from now on is
      // delivered (not the safe bound itself: no cursor may pass the newest stored event, or
      // positions re-seeded after a restore would start below it).
      const start = after ?? (await app.deps.eventStore.headPosition());
      const { subscription, secret } = await createSubscription(app.deps.pool, {
        url,
        types,
        collaborativeId,
        description,
        createdBy: principal.keyId,
        after: start,
      }, box);
      request.log.info({ subscriptionId: subscription.subscriptionId }, 'webhook subscription created');
      return reply.code(201).header('location', `/v1/webhooks/${subscription.subscriptionId}`).send({ ...subscription, secret });
    },
  );

  app.get(
    '/v1/webhooks',
    {
      schema: {
        operationId: 'listWebhooks',
        tags: ['webhooks'],
        summary: 'Webhook subscriptions, newest first',
        description: 'Admin only.',
        querystring: PageQuerySchema.extend({
          includeInactive: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true')
            .describe('Also list deactivated subscriptions'),
        }),
        response: { 200: pageSchema(WebhookSchema).meta({ id: 'WebhookSubscriptionPage' }), ...problems },
      },
      preHandler: requireRole('admin'),
    },
    async (request) => {
      const principal = principalOf(request);
      const { limit, cursor, includeInactive } = request.query;
      const before = decodeCursor(cursor, 1)?.[0];
      if (before !== undefined && !isUuid(before)) throw badCursor();
      const rows = await listSubscriptions(app.deps.pool, {
        collaborativeIds: principal.collaborativeIds,
        includeInactive,
        limit: limit + 1,
        before,
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.subscriptionId]) : null };
    },
  );

  app.get(
    '/v1/webhooks/:subscriptionId',
    {
      schema: {
        operationId: 'getWebhook',
        tags: ['webhooks'],
        summary: 'A webhook subscription with its checkpoint and retry state',
        description: 'Admin only.',
        params: Params,
        response: { 200: WebhookSchema, 404: ProblemSchema, ...problems },
      },
      preHandler: requireRole('admin'),
    },
    async (request) => loadVisible(principalOf(request), request.params.subscriptionId),
  );

  app.delete(
    '/v1/webhooks/:subscriptionId',
    {
      schema: {
        operationId: 'deleteWebhook',
        tags: ['webhooks'],
        summary: 'Deactivate a webhook subscription (its delivery log is kept)',
        description: 'Admin only.',
        params: Params,
        response: { 200: WebhookSchema, 404: ProblemSchema, ...problems },
      },
      preHandler: requireRole('admin'),
    },
    async (request) => {
      const principal = principalOf(request);
      await loadVisible(principal, request.params.subscriptionId);
      const sub = await deactivateSubscription(app.deps.pool, request.params.subscriptionId);
      if (!sub) throw new HttpProblem(404, 'webhook_not_found', 'No such webhook subscription');
      request.log.info({ subscriptionId: sub.subscriptionId }, 'webhook subscription deactivated');
      return sub;
    },
  );

  app.get(
    '/v1/webhooks/:subscriptionId/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        tags: ['webhooks'],
        summary: "A subscription's delivery log, newest attempt first",
        description: 'Admin only.',
        params: Params,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(DeliverySchema).meta({ id: 'WebhookDeliveryPage' }), 404: ProblemSchema, ...problems },
      },
      preHandler: requireRole('admin'),
    },
    async (request) => {
      const principal = principalOf(request);
      const { subscriptionId } = request.params;
      await loadVisible(principal, subscriptionId);
      const { limit, cursor } = request.query;
      const key = decodeCursor(cursor, 2);
      if (key && (typeof key[0] !== 'string' || Number.isNaN(Date.parse(key[0])) || !isUuid(key[1]))) throw badCursor();
      const rows = await listDeliveries(app.deps.pool, subscriptionId, {
        limit: limit + 1,
        before: key ? [String(key[0]), String(key[1])] : undefined,
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.attemptedAt, last.deliveryId]) : null };
    },
  );
};
