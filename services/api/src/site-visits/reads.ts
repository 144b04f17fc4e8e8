// Site-visit queries: one visit (the Location of ScheduleSiteVisit) and a collaborative's visits,
// in the one shape of the SiteVisit resource.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getSiteVisit, listSiteVisitResources } from '@convene/projections';
import { agencyResourceReads } from '../http/agency-resources';
import { uuid } from '../http/read-routes';
import { DateOrTime } from '../meetings/reads';
import { SiteVisitSchema } from './resource';

export const siteVisitReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  agencyResourceReads(app, {
    name: 'site visit', tag: 'site-visits', schema: SiteVisitSchema,
    get: {
      path: '/v1/site-visits/:visitId', idParam: 'visitId', operationId: 'getSiteVisit',
      summary: 'A site visit: coach, agency, agenda, reschedules, status, summary report',
      description: 'The visit ScheduleSiteVisit created (its Location). Readable by the agency visited, its coaches, admins and auditors.',
      load: (id) => getSiteVisit(db, id),
    },
    list: {
      segment: 'site-visits', operationId: 'listSiteVisits', summary: 'Site visits of a collaborative, by visit time',
      description: 'Filters: agency, coach, status, visit time range (`from` inclusive, `to` exclusive; a date `to` includes that day). Sorted by the visit instant (UTC), then id. Agency keys see their own visits, coaches with assigned agencies theirs.',
      sorts: ['scheduledAt'], defaultSort: 'scheduledAt',
      filters: {
        coachId: uuid.optional(), status: SiteVisitSchema.shape.status.optional(),
        from: DateOrTime.optional().describe('Visits at or after (date or date-time)'),
        to: DateOrTime.optional().describe('Visits before (a date: through that day)'),
      },
      load: (q) => listSiteVisitResources(db, q),
    },
  });
};
