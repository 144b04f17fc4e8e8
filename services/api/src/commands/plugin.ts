// One encapsulated plugin per bounded context, each registering one operation per command.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandOutcome, commandsTotal } from '@convene/runtime';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '../http/problem';
import { handleCommand } from './execute';
import { commandSchemas, commandTypesInTable, CommandHeadersSchema, type CommandSchemas } from './schemas';
import type { BoundedContext } from './table';

const TAGS: Record<BoundedContext, string> = {
  collaboratives: 'collaboratives',
  participation: 'participation',
  changeProjects: 'change-projects',
  siteVisits: 'site-visits',
  meetings: 'meetings',
  documents: 'documents',
  organisations: 'organisations',
  people: 'people',
};

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } });
export const problemResponses = {
  400: problem('Invalid request (the offending fields are listed in `errors`)'),
  401: problem('No valid API key'),
  403: problem('The key may not do this'),
  404: problem('No such resource'),
  409: problem('Refused by a business rule, or a concurrent change'),
  412: problem('If-Match does not name the current version'),
  422: problem('Well-formed but not allowed, or an Idempotency-Key reused with another request'),
  429: problem('Rate limit of the API key exceeded'),
};

/** The schema of a command's JSON operation (a bounded context that serves a command itself reuses it). */
export function commandRouteSchema(command: CommandSchemas) {
  const success = command.spec.creates ? 201 : 200;
  return {
    operationId: command.operationId,
    summary: command.description,
    description:
      `Sends the domain command \`${command.type}\` (roles: ${['admin', ...command.spec.roles].join(', ')}; docs/permissions.md). ` +
      (command.spec.creates ? `Answers 201 with the new \`${command.spec.creates.field}\` (generated when the body leaves it out) and its \`Location\`. ` : "Answers 200 with the stream's new version. ") +
      "A business rule refuses with 409 or 422 (the problem's `code` says which, docs/problems.md); retry safely with `Idempotency-Key`, guard against lost updates with `If-Match`.",
    tags: [TAGS[command.spec.context]],
    headers: CommandHeadersSchema,
    params: command.paramsSchema ?? z.object({}),
    body: command.bodySchema,
    response: { [success]: command.resultSchema, ...problemResponses },
  };
}

/** Counts a command by outcome whatever answered: validation, auth, the domain or an error. */
export const countCommand = (type: string) => (_request: unknown, reply: { statusCode: number }, done: () => void) => {
  commandsTotal.inc({ type, outcome: commandOutcome(reply.statusCode) });
  done();
};

/** The command operations of one bounded context. */
export function commandPlugin(context: BoundedContext): FastifyPluginAsyncZod {
  return async (app) => {
    for (const type of commandTypesInTable) {
      const command = commandSchemas[type];
      // Commands their bounded context serves itself (uploads, removals that delete a file) have no route here.
      if (command.spec.context !== context || command.spec.ownRoute) continue;
      app.route({
        method: command.spec.method,
        url: command.spec.path,
        schema: commandRouteSchema(command),
        onResponse: countCommand(type),
        handler: async (request, reply) => {
          await handleCommand(request, reply, command, request.params, request.body, request.headers);
        },
      });
    }
  };
}
