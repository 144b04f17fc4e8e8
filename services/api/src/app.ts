import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '@convene/db';
import type { EventStore } from '@convene/eventstore';
import { StreamStateCache } from '@convene/domain';
import { loggerOptions } from '@convene/runtime';
import type { Config } from './config';
import { allowedRolesOf, authPlugin } from './auth/plugin';
import { hashKey, type Role } from './auth/keys';
import { commandPlugin } from './commands/plugin';
import { organisationReadRoutes } from './organisations/routes';
import { peopleReadRoutes } from './people/routes';
import { historyPlugin } from './commands/history';
import type { IsCaughtUp } from './http/consistency';
import { registerProblemHandlers } from './http/problem';
import { strictQueryStrings } from './http/strict-routes';
import { registerEtags } from './http/etag';
import { collaborativeReadRoutes } from './collaboratives/routes';
import { participationReadRoutes } from './participation/routes';
import { reportRoutes } from './reports/routes';
import { measureReadRoutes } from './measures/routes';
import { projectionAdminRoutes } from './admin/projections';
import { meetingReadRoutes } from './meetings/reads';
import { planReadRoutes } from './plans/reads';
import { meetingPeopleReadRoutes } from './meetings/people-reads';
import { meetingRegistrationRoutes } from './meetings/registration-routes';
import { siteVisitReadRoutes } from './site-visits/reads';
import { changeProjectReadRoutes } from './change-projects/reads';
import { calendarRoutes } from './calendar/routes';
import { reservingStore } from './http/reserving-store';
import { registerAddressLimits } from './http/address-limits';
import { declareProblemResponses } from './http/declared-responses';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from './http/framework-errors';
import { registerInputGuards } from './http/input-guards';
import { registerRequestIds } from './http/request-id';
import { deliveryReadRoutes } from './deliveries/routes';
import { announcementRoutes } from './announcements/routes';
import { registerOpenApi } from './openapi';
import { upgradeInsecureRequestsOverHttps } from './http/secure-context';
import { registerSecurityHeaders } from './http/security-headers';
import { healthRoutes } from './plugins/health';
import { problemPageRoutes } from './http/problem-pages';
import { registerObservability } from './plugins/observability';
import { privacyPlugin } from './privacy/routes';
import { auditPlugin } from './audit/plugin';
import { exportsPlugin } from './exports/routes';
import { deliveryAdminRoutes, type WorkerAdmin } from './admin/deliveries';
import { queueBoardRoutes } from './admin/queue-board';
import { documentRoutes } from './documents/routes';
import type { DocumentStore } from './documents/store';

/** What the routes need, passed in (no DI container): tests build the app on their own database. */
export interface AppDeps {
  config: Config;
  pool: pg.Pool;
  db: Kysely<Database>;
  eventStore: EventStore;
  redis?: Redis;
  /** The command clock (`now` of every command); the wall clock when absent. */
  clock?: () => Date;
  /** Have the read models applied every event up to this position? (from the projections) */
  isCaughtUp?: IsCaughtUp;
  /** The delivery workers, where they run in this process (their admin routes answer 503 otherwise). */
  workers?: WorkerAdmin;
  /** Encrypts webhook secrets at rest (else from config.WEBHOOK_SECRET_KEY; without either, no subscription can be created). */
  webhookSecretKey?: Buffer;
  /** Queues shown on the bull-board page at /v1/admin/queues (global admins); no board without them. */
  boardQueues?: readonly Queue[];
  /** Dead-letter count of the delivery queue, for /health (where the workers' queue is reachable). */
  deadLetterCount?: () => Promise<number>;
  /** The binder's object store; made from the configuration (S3_BUCKET, else the local disk) when absent. */
  documentStore?: DocumentStore;
  /** Aggregate states kept between commands (packages/domain stream-cache); buildApp makes one per app. */
  commandCache: StreamStateCache;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** Every route of the app (method and path), as registered: tests enumerate it. */
    routeTable: { method: string; url: string; operationId?: string; roles?: Role[]; public?: boolean }[];
  }
}

export async function buildApp(input: Omit<AppDeps, 'commandCache'> & { commandCache?: StreamStateCache }, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const deps: AppDeps = { ...input, commandCache: input.commandCache ?? new StreamStateCache() };
  // One log configuration for every process (packages/runtime); a caller may pass its own logger.
  const logging = options.loggerInstance ? {} : { logger: options.logger ?? loggerOptions('api', { ...process.env, LOG_LEVEL: deps.config.LOG_LEVEL }) };
  const app = Fastify({
    ...logging,
    // The server's own id for every request; a client's X-Request-Id is kept apart (http/request-id.ts).
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    frameworkErrors,
    clientErrorHandler,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // One line per request (below) instead of Fastify's two: half the logging cost of a command.
    disableRequestLogging: true,
    // Every request's log lines carry its correlation id (the caller's, else the request id).
    childLoggerFactory: (logger, bindings, childOptions, raw) => {
      const correlation = raw.headers['x-correlation-id'];
      return logger.child({ ...bindings, correlationId: typeof correlation === 'string' && correlation ? correlation : bindings.reqId }, childOptions);
    },
    ...options,
  }).withTypeProvider<ZodTypeProvider>();
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: reply.elapsedTime }, 'request completed');
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  registerObservability(app);
  const routeTable: FastifyInstance['routeTable'] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { operationId?: string; hide?: boolean } | undefined;
    if (schema?.hide) return;
    const roles = allowedRolesOf(route.preHandler);
    const isPublic = (route.config as { public?: boolean } | undefined)?.public === true;
    for (const method of [route.method].flat()) {
      routeTable.push({ method, url: route.url, ...(schema?.operationId ? { operationId: schema.operationId } : {}), ...(roles ? { roles } : {}), ...(isPublic ? { public: true } : {}) });
    }
  });
  strictQueryStrings(app);
  registerEtags(app);
  registerRequestIds(app);
  registerProblemHandlers(app);
  declareProblemResponses(app);
  registerSecurityHeaders(app, {
    // Swagger UI (/docs) needs its inline scripts and styles; the API itself serves only JSON.
    // No `upgrade-insecure-requests` here: over plain HTTP on any address but localhost it makes
    // the browser fetch /docs' scripts over HTTPS, which fails, and /docs is a blank page (issue 17).
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': null,
      },
    },
  });
  upgradeInsecureRequestsOverHttps(app);
  await app.register(fastifyCors, {
    origin: deps.config.CORS_ORIGIN ? deps.config.CORS_ORIGIN.split(',').map((o) => o.trim()) : false,
    exposedHeaders: ['etag', 'location', 'convene-position', 'x-request-id', 'x-client-request-id', 'retry-after'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key', 'x-request-id', 'x-correlation-id'],
  });
  await app.register(fastifyRateLimit, {
    max: deps.config.RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    // Per API key (its hash, never the key); per address without one.
    keyGenerator: (request) => {
      const auth = request.headers.authorization;
      return auth ? `key:${hashKey(auth)}` : `ip:${request.ip}`;
    },
    ...(deps.redis ? { store: reservingStore(deps.redis, 'convene-rl:'), skipOnError: true } : {}),
  });
  registerAddressLimits(app, deps.config);
  await app.register(authPlugin);
  registerInputGuards(app);
  await registerOpenApi(app);
  await app.register(healthRoutes);
  await app.register(problemPageRoutes);
  for (const context of ['collaboratives', 'participation', 'changeProjects', 'siteVisits', 'meetings', 'plans', 'organisations', 'people'] as const) {
    await app.register(async (scope) => {
      await scope.register(commandPlugin(context));
      await scope.register(historyPlugin(context));
    });
  }
  await app.register(privacyPlugin);
  await app.register(auditPlugin);
  await app.register(exportsPlugin());
  // Queries, grouped by bounded context.
  await app.register(collaborativeReadRoutes);
  await app.register(participationReadRoutes);
  await app.register(organisationReadRoutes);
  await app.register(peopleReadRoutes);
  await app.register(reportRoutes);
  await app.register(measureReadRoutes);
  await app.register(meetingReadRoutes);
  await app.register(meetingPeopleReadRoutes);
  await app.register(meetingRegistrationRoutes);
  await app.register(siteVisitReadRoutes);
  await app.register(changeProjectReadRoutes);
  await app.register(calendarRoutes);
  await app.register(planReadRoutes);
  await app.register(documentRoutes());
  await app.register(deliveryReadRoutes);
  await app.register(announcementRoutes);
  await app.register(projectionAdminRoutes);
  await app.register((await import('./webhooks/routes')).webhookRoutes);
  await app.register(deliveryAdminRoutes);
  if (deps.boardQueues?.length) await app.register(queueBoardRoutes(deps.boardQueues));
  return app;
}
