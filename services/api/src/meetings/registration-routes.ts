// Issue 16: registration routes. An agency key registers (and unregisters) its own people only, for
// its own agency: the route fills in the key's agency and checks that the person is one of the
// agency's people before the command runs; admin and coach keys register anyone (a guest, a
// stakeholder), for an agency they name or none.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { evolveStream, streamIds, type MeetingState, type PersonState } from '@convene/domain';
import { withLive } from '@convene/projections';
import { principalOf } from '../auth/plugin';
import { countCommand, commandRouteSchema } from '../commands/plugin';
import { handleCommand } from '../commands/execute';
import { commandSchemas } from '../commands/schemas';
import { HttpProblem } from '../http/problem';

/**
 * The agencies a person belongs to: their organisation (the person aggregate, read from the store, so
 * a person registered a moment ago counts), else the agencies whose roles they hold in this
 * collaborative (people known only from AgencyRoleAssigned, before the person aggregate existed).
 */
async function agenciesOf(request: FastifyRequest, collaborativeId: string, personId: string): Promise<string[]> {
  const { events } = await request.server.deps.eventStore.readStream(streamIds.person(personId));
  const person = evolveStream('person', events) as PersonState;
  if (person.status === 'registered') return person.organisationId ? [person.organisationId] : [];
  const rows = await withLive(request.server.deps.db, 'directory', (p) =>
    p.selectFrom('people').select('agency_id').where('collaborative_id', '=', collaborativeId).where('person_id', '=', personId).where('agency_id', 'is not', null).execute(),
  ).catch(() => []);
  return [...new Set(rows.map((r) => String(r.agency_id)))];
}

export const meetingRegistrationRoutes: FastifyPluginAsync = async (app) => {
  for (const type of ['RegisterForMeeting', 'CancelMeetingRegistration'] as const) {
    const command = commandSchemas[type];
    app.route({
      method: command.spec.method, url: command.spec.path,
      schema: {
        ...commandRouteSchema(command),
        description: `${commandRouteSchema(command).description} An agency key ${type === 'RegisterForMeeting' ? 'registers' : 'unregisters'} its own people only (403 \`out_of_scope\` for anyone else).`,
      },
      onResponse: countCommand(type),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const params = request.params as { meetingId: string };
        const body = { ...(request.body as Record<string, unknown>) };
        const principal = principalOf(request);
        if (principal.role === 'agency') {
          const own = principal.agencyIds[0]!;
          if (body.agencyId !== undefined && body.agencyId !== own) throw new HttpProblem(403, 'out_of_scope', 'An agency key registers people for its own agency only');
          const { events } = await app.deps.eventStore.readStream(streamIds.meeting(params.meetingId));
          const m = evolveStream('meeting', events) as MeetingState;
          if (m.status !== 'none') {
            if (!(await agenciesOf(request, m.collaborativeId, String(body.personId))).includes(own)) throw new HttpProblem(403, 'out_of_scope', 'An agency key registers its own people only');
            if (type === 'RegisterForMeeting') body.agencyId = own;
          }
        }
        await handleCommand(request, reply, command, params, body, request.headers as never);
        return reply;
      },
    });
  }
};
