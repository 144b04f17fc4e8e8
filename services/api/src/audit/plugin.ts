// The audit routes as one encapsulated plugin: stream history and state as of, progress and
// report as of a date, the global event feed.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { asOfRoutes } from './as-of';
import { feedRoutes } from './feed';
import { replayRoutes } from './replay';
import { auditStreamRoutes } from './streams';

export const auditPlugin: FastifyPluginAsyncZod = async (app) => {
  await app.register(auditStreamRoutes);
  await app.register(asOfRoutes);
  await app.register(feedRoutes);
  await app.register(replayRoutes);
};
