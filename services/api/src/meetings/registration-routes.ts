// Issue 16: registration routes. An agency key registers (and unregisters) its own people only, for
// its own agency: the route fills in the key's agency and checks that the person is one of the
// agency's people before the command runs; admin and coach keys register anyone (a guest, a
// stakeholder), for an agency they name or none.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { evolveStream, streamIds, type MeetingState, type ParticipationState, type PersonState } from '@convene/domain';
import { principalOf } from '../auth/plugin';
import { countCommand, commandRouteSchema } from '../commands/plugin';
import { handleCommand } from '../commands/execute';
import { commandSchemas } from '../commands/schemas';
import { HttpProblem } from '../http/problem';

/**
 * Is the person one of the agency's people? Their organisation when registered as a person (the
 * person aggregate), else a role they hold at the agency in this collaborative (people known only
 * from AgencyRoleAssigned, before the person aggregate existed). Both read from the store, not a read
 * model, so a person registered or named a moment ago counts (the seed names agency 1's change leader
 * and registers them with no projector running).
 */
async function isAgencyPerson(request: FastifyRequest, collaborativeId: string, agencyId: string, personId: string): Promise<boolean> {
  const store = request.server.deps.eventStore;
  const person = evolveStream('person', (await store.readStream(streamIds.person(personId))).events) as PersonState;
  if (person.status === 'registered') return person.organisationId === agencyId;
  const participation = evolveStream('participation', (await store.readStream(streamIds.participation(collaborativeId, agencyId))).events) as ParticipationState;
  return participation.status !== 'none' && (('roles' in participation ? participation.roles : undefined) ?? []).some((r) => r.endsWith(`|${personId}`));
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
            if (!(await isAgencyPerson(request, m.collaborativeId, own, String(body.personId)))) throw new HttpProblem(403, 'out_of_scope', 'An agency key registers its own people only');
            if (type === 'RegisterForMeeting') body.agencyId = own;
          }
        }
        await handleCommand(request, reply, command, params, body, request.headers as never);
        return reply;
      },
    });
  }
};
