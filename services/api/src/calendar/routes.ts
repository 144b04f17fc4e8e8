// Calendar routes: the calendar of a collaborative, an agency or a coach (JSON), feed tokens (API
// keys create, list and revoke them) and the feed itself (iCalendar, public but for its token).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendar, instant as instantOf, type Calendar } from '@convene/projections';
import { principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { HttpProblem } from '../http/problem';
import { CollabParams, consistentReads, notFound, readErrors, uuid } from '../http/read-routes';
import { CALENDAR_READERS, calendarQueryFor, type CalendarScope } from './access';
import { createFeed, feedByToken, feedSorts, getFeed, listFeeds, revokeFeed, type Feed } from './feeds';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { renderICal } from './ical';
import { CalendarSchema, CreatedFeedSchema, CreateFeedSchema, FeedSchema } from './schemas';

const DateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
/** A calendar pages by window, not by cursor: this bounds one answer (13 months and a bit: a year view). */
const MAX_SPAN_DAYS = 400;
const RangeQuery = z
  .strictObject({
    from: DateOrTime.describe('Start (inclusive): a date (its midnight, UTC) or a date-time'),
    to: DateOrTime.describe('End (exclusive): a date-time, or a date (through that day)'),
  })
  .extend(ConsistencyQuerySchema.shape);

/** A feed shows from 3 months back to 15 months ahead of now (a calendar client re-reads it hourly). */
const FEED_PAST_DAYS = 92;
const FEED_AHEAD_DAYS = 460;
const DAY = 86_400_000;

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, pool } = app.deps;
  const consistent = consistentReads(app);
  const now = () => app.deps.clock?.() ?? new Date();

  const read = async (principal: ReturnType<typeof principalOf>, target: { collaborativeId: string; scope: CalendarScope; subjectId: string | null }, from: string, to: string): Promise<Calendar> => {
    const q = calendarQueryFor(principal, target);
    const result = await calendar(db, { ...q, from, to });
    if (!result) throw notFound('collaborative');
    return result;
  };

  const range = (query: { from: string; to: string }) => {
    const from = instantOf(query.from, 'from');
    const to = instantOf(query.to, 'to');
    const bad = (message: string) => new HttpProblem(400, 'validation_error', `query.to: ${message}`, { errors: [{ path: 'query.to', message }] });
    if (to <= from) throw bad('must be after from');
    if (Date.parse(to) - Date.parse(from) > MAX_SPAN_DAYS * DAY) throw bad(`at most ${MAX_SPAN_DAYS} days after from`);
    return { from, to };
  };

  const calendarRoute = (url: string, operationId: string, summary: string, description: string, params: z.ZodObject, target: (p: Record<string, string>) => { scope: CalendarScope; subjectId: string | null }) =>
    app.get(url, {
      schema: { operationId, summary, description, tags: ['calendar'], params, querystring: RangeQuery, response: { 200: CalendarSchema, ...readErrors } },
      preHandler: [requireRole(...CALENDAR_READERS), consistent],
    }, async (request) => {
      const p = request.params as Record<string, string>;
      const { from, to } = range(request.query as { from: string; to: string });
      const t = { collaborativeId: p.collaborativeId!, ...target(p) };
      return { ...(await read(principalOf(request), t, from, to)), scope: t.scope, subjectId: t.subjectId };
    });

  calendarRoute('/v1/collaboratives/:collaborativeId/calendar', 'getCollaborativeCalendar', 'A collaborative\'s calendar: meetings, site visits, due dates in time order',
    'Items starting in [from, to), in time order. A calendar is read by window, not by cursor: the window bounds the answer (at most 400 days, `to` later than that is a 400 naming `query.to`), and a client pages by moving it (the next window starts at this `to`), which keeps month and week views one request each. Coaches with assigned agencies see those agencies\' visits and due dates; an agency key gets its own agency\'s calendar.',
    CollabParams, () => ({ scope: 'collaborative', subjectId: null }));
  calendarRoute('/v1/collaboratives/:collaborativeId/agencies/:agencyId/calendar', 'getAgencyCalendar', 'An agency\'s calendar: its meetings, site visits and due dates',
    'The meetings it is invited to or presents at, its site visits, its baseline and monthly data due dates. A window of at most 400 days, like the collaborative\'s calendar.',
    CollabParams.extend({ agencyId: uuid }), (p) => ({ scope: 'agency', subjectId: p.agencyId! }));
  calendarRoute('/v1/collaboratives/:collaborativeId/coaches/:coachId/calendar', 'getCoachCalendar', 'A coach\'s calendar: its site visits, and the meetings and due dates of the agencies it coaches',
    'The coach\'s site visits, the meetings its agencies (the agencies whose coach it is) are invited to, and their due dates. A window of at most 400 days, like the collaborative\'s calendar.',
    CollabParams.extend({ coachId: uuid }), (p) => ({ scope: 'coach', subjectId: p.coachId! }));

  // Feeds ------------------------------------------------------------------------------------
  const feedUrl = (token: string) => `/v1/calendar-feeds/${token}.ics`;
  const FeedParams = CollabParams.extend({ feedId: uuid });
  const visibleFeed = async (request: Parameters<typeof principalOf>[0], collaborativeId: string, feedId: string): Promise<Feed> => {
    const principal = principalOf(request);
    const feed = await getFeed(pool, feedId);
    // Admins manage every feed of their collaboratives; other keys their own.
    if (!feed || feed.collaborativeId !== collaborativeId || (principal.role !== 'admin' && feed.keyId !== principal.keyId)) throw notFound('calendar feed');
    calendarQueryFor(principal, { collaborativeId, scope: 'collaborative', subjectId: null });
    return feed;
  };

  app.post('/v1/collaboratives/:collaborativeId/calendar-feeds', {
    schema: {
      operationId: 'createCalendarFeed', summary: 'A subscription URL (iCalendar) for a collaborative\'s, an agency\'s or a coach\'s calendar; the token is shown once', tags: ['calendar'],
      description: 'Calendar clients cannot send headers, so the feed URL carries a secret token. The feed reads with this API key\'s rights: a key may create a feed of any calendar it may read. Revoke it with DELETE (or revoke the key).',
      params: CollabParams, body: CreateFeedSchema, response: { 201: CreatedFeedSchema, ...readErrors },
    },
    preHandler: requireRole(...CALENDAR_READERS),
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { collaborativeId } = request.params;
    const { scope, name } = request.body;
    const subjectId = scope === 'agency' ? request.body.agencyId! : scope === 'coach' ? request.body.coachId! : null;
    calendarQueryFor(principal, { collaborativeId, scope, subjectId });
    const { token, feed } = await createFeed(pool, { keyId: principal.keyId, collaborativeId, scope, subjectId, name });
    return reply.code(201).header('location', `/v1/collaboratives/${collaborativeId}/calendar-feeds/${feed.feedId}`).send({ ...feed, token, url: feedUrl(token) });
  });

  app.get('/v1/collaboratives/:collaborativeId/calendar-feeds', {
    schema: {
      operationId: 'listCalendarFeeds', summary: 'Calendar feeds of a collaborative (admins: all; other keys: their own)', tags: ['calendar'],
      description: 'Sorted by creation (default, oldest first) or name. Tokens are never shown again; revoked feeds are listed with revokedAt.',
      params: CollabParams, querystring: listQuery({ sorts: feedSorts, defaultSort: 'createdAt' }), response: { 200: pageSchema(FeedSchema), ...readErrors },
    },
    preHandler: requireRole(...CALENDAR_READERS),
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId } = request.params;
    calendarQueryFor(principal, { collaborativeId, scope: 'collaborative', subjectId: null });
    const page = await listFeeds(pool, { collaborativeId, keyId: principal.role === 'admin' ? null : principal.keyId, keyset: keysetOf(request.query) });
    return listPage(request.query.sort, page);
  });

  app.get('/v1/collaboratives/:collaborativeId/calendar-feeds/:feedId', {
    schema: { operationId: 'getCalendarFeed', summary: 'A calendar feed (without its token)', tags: ['calendar'], description: 'Admins read every feed of their collaboratives, other keys their own.', params: FeedParams, response: { 200: FeedSchema, ...readErrors } },
    preHandler: requireRole(...CALENDAR_READERS),
  }, async (request) => visibleFeed(request, request.params.collaborativeId, request.params.feedId));

  app.delete('/v1/collaboratives/:collaborativeId/calendar-feeds/:feedId', {
    schema: { operationId: 'revokeCalendarFeed', summary: 'Revoke a calendar feed: its URL answers 404 from now on', tags: ['calendar'], description: 'Admins revoke any feed of their collaboratives, other keys their own. Idempotent.', params: FeedParams, response: { 204: z.null(), ...readErrors } },
    preHandler: requireRole(...CALENDAR_READERS),
  }, async (request, reply) => {
    const feed = await visibleFeed(request, request.params.collaborativeId, request.params.feedId);
    await revokeFeed(pool, feed.feedId);
    return reply.code(204).send(null);
  });

  app.get('/v1/calendar-feeds/:token', {
    config: { public: true },
    schema: {
      operationId: 'getCalendarFeedIcs', summary: 'The iCalendar feed (RFC 5545) a calendar client subscribes to', tags: ['calendar'],
      description: 'No Authorization header: the secret token in the path (ending `.ics`) authenticates. An unknown or revoked token (or a revoked key behind it) answers 404. Times are UTC (X-WR-TIMEZONE:UTC); UIDs are stable, SEQUENCE increases on each reschedule or cancellation, cancelled items say STATUS:CANCELLED.',
      // Any text: a token that is not one of ours is simply unknown (404), like a revoked one.
      params: z.object({ token: z.string().min(1).max(200).describe('The token, then `.ics`') }),
      produces: ['text/calendar'],
      response: { 200: z.string().describe('text/calendar'), 404: readErrors[404] },
    },
  }, async (request, reply) => {
    const token = /^(cvf_[A-Za-z0-9_-]{43})\.ics$/.exec(request.params.token)?.[1];
    const found = token ? await feedByToken(pool, token) : null;
    if (!found) throw notFound('calendar feed');
    const at = now();
    const { feed, principal } = found;
    const cal = await read(principal, { collaborativeId: feed.collaborativeId, scope: feed.scope, subjectId: feed.subjectId },
      new Date(at.getTime() - FEED_PAST_DAYS * DAY).toISOString(), new Date(at.getTime() + FEED_AHEAD_DAYS * DAY).toISOString());
    const name = feed.name;
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(renderICal(cal, name, at));
  });
};
