// Runs one command for an HTTP request: role and scope, If-Match, Idempotency-Key (the first
// answer stored byte for byte in the append's transaction), then the domain's executeCommand.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { executeCommand, loadCached, type StreamStateCache, stable, type EventStorePort, type ExecuteResult } from '@convene/domain';
import { isConcurrencyError } from '@convene/eventstore';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { assertInScope, principalOf, type ResourceScope } from '../auth/plugin';
import type { Principal } from '../auth/keys';
import { HttpProblem } from '../http/problem';
import { acceptedClientId } from '../http/request-id';
import type { CommandSchemas } from './schemas';
import { assertActsAsItself } from './acting';
import { HttpPort, sendStored, storedResponse, type StoredResponse } from './stored-response';

export { sendStored, type StoredResponse } from './stored-response';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const hasScope = (state: unknown): state is { collaborativeId: string; agencyId?: unknown } =>
  typeof state === 'object' && state !== null && typeof (state as { collaborativeId?: unknown }).collaborativeId === 'string';

/** The collaborative (and agency) a command touches: from its data, else from its target stream. */
async function scopeOf(
  port: EventStorePort,
  cache: StreamStateCache,
  command: CommandSchemas,
  data: Record<string, unknown>,
): Promise<ResourceScope | null> {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const collaborativeId = str(data.collaborativeId);
  if (collaborativeId) {
    const agencyId = str(data.agencyId);
    return agencyId ? { collaborativeId, agencyId } : { collaborativeId };
  }
  const { registryEntry } = command;
  const streamId = registryEntry.streamId(data);
  // A resource's collaborative and agency never change once it exists: a cached state tells them;
  // only "does not exist (yet)" is asked of the store.
  let { state } = await loadCached(port, cache, registryEntry.aggregate, streamId, false);
  if (!hasScope(state)) ({ state } = await loadCached(port, cache, registryEntry.aggregate, streamId, true));
  if (!hasScope(state)) return null;
  const agencyId = str(state.agencyId);
  return agencyId ? { collaborativeId: state.collaborativeId, agencyId } : { collaborativeId: state.collaborativeId };
}

function authorize(principal: Principal, command: CommandSchemas) {
  if (principal.role !== 'admin' && !command.spec.roles.includes(principal.role)) {
    throw new HttpProblem(403, 'forbidden_role', `A ${principal.role} key may not ${command.operationId}`);
  }
  if (command.type === 'LaunchCollaborative' && principal.collaborativeIds !== null) {
    throw new HttpProblem(403, 'forbidden_role', 'Only an admin key of every collaborative may launch one');
  }
  if (command.spec.globalAdminOnly && principal.collaborativeIds !== null) {
    throw new HttpProblem(403, 'forbidden_role', `Only an admin key of every collaborative may ${command.operationId}: organisations and people belong to no one collaborative`);
  }
}

function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(value);
  if (!match?.[1]) throw new HttpProblem(400, 'validation_error', 'headers.if-match: Expected W/"<version>"', { errors: [{ path: 'headers.if-match', message: 'Expected W/"<version>"' }] });
  return Number(match[1]);
}

const MAX_CONTEXT_RETRIES = 5;

/** The id a creation gets when the client names none: from the Idempotency-Key (so retries agree), else a fresh uuid v7. */
export function generatedId(principal: Principal, type: string, idemKey: string | undefined): string {
  return idemKey ? uuidv5(`${principal.keyId}:${type}:${idemKey}`, GENERATED_ID_NAMESPACE) : uuidv7();
}
/** uuid v5 namespace of ids generated from an Idempotency-Key. */
const GENERATED_ID_NAMESPACE = '5b0c6a53-3f0e-4c1e-9a57-6d2f1c8e4b10';

export async function handleCommand(
  request: FastifyRequest,
  reply: FastifyReply,
  command: CommandSchemas,
  params: Record<string, unknown>,
  body: Record<string, unknown>,
  headers: { 'if-match'?: string | undefined; 'idempotency-key'?: string | undefined },
  options: {
    /** What identifies the request for Idempotency-Key (default the body): an upload's fields and file hash, not its server-chosen object key. */
    fingerprintBody?: Record<string, unknown>;
    /** The scope the route already resolved (an upload's target), instead of the one read from the command's data. */
    scope?: ResourceScope;
    /** Runs after this request's own events are stored and before the answer goes out (not on a replayed answer): the replaced file is deleted there. */
    afterAppend?: () => Promise<void>;
  } = {},
): Promise<FastifyReply> {
  const { deps } = request.server;
  const principal = principalOf(request);
  authorize(principal, command);
  const expectedVersion = parseIfMatch(headers['if-match']);

  const idemKey = headers['idempotency-key'];
  // Only a keyed command needs its request's fingerprint (three in four of the realistic mix have no key).
  const fingerprint = idemKey ? sha256(JSON.stringify(stable({ method: request.method, path: request.routeOptions.url, params, body: options.fingerprintBody ?? body }))) : '';
  // No look-up of the key before deciding (one statement less per keyed command, issue 13): a
  // retry is decided again and its append carries the key, which the store replays instead of
  // writing (exactly once). Any other answer than a fresh success (a refused decision, a 412, the
  // store's 422, a concurrent retry that won) is replaced by the key's stored answer, if any.
  const run = async (): Promise<FastifyReply> => {
    const data: Record<string, unknown> = { ...body, ...params };
    const created = command.spec.creates?.field;
    if (created && data[created] === undefined) {
      // An agency applies as itself. Under an Idempotency-Key the id derives from the key, so
      // concurrent retries decide the same creation and get one answer (issue 12.15).
      data[created] = created === 'agencyId' && principal.role === 'agency' ? principal.agencyIds[0] : generatedId(principal, command.type, idemKey);
    }
    assertActsAsItself(principal, command.type, data);
    const ids: Record<string, string> = Object.fromEntries(command.idFields.map((f) => [f, String(data[f])]));
    const targetStreamId = command.registryEntry.streamId(data);

    const build = (version: number, position: number): StoredResponse => {
      const status = created ? 201 : 200;
      const headersOut: Record<string, string> = { etag: `W/"${version}"`, 'convene-position': String(position) };
      if (created && command.spec.creates) headersOut.location = command.spec.creates.location(ids);
      const result = { ...ids, streamId: targetStreamId, version, position };
      return { status, headers: headersOut, body: JSON.stringify(command.resultSchema.parse(result)) };
    };

    const port = new HttpPort(
      deps.eventStore,
      deps.pool,
      idemKey ? { keyId: principal.keyId, key: idemKey, fingerprint, targetStreamId } : undefined,
      build,
    );

    // Scope: the ids in the request, or the target's own (a project, a visit, a meeting).
    const scope = options.scope ?? (await scopeOf(port, deps.commandCache, command, data).catch(() => null));
    const actingAgency = command.spec.actingAgencyField ? String(data[command.spec.actingAgencyField]) : undefined;
    if (actingAgency !== undefined && principal.role === 'agency') {
      // A mentor acts for mentees of other collaboratives than its key's: its own agency is its scope.
      if (!principal.agencyIds.includes(actingAgency)) throw new HttpProblem(403, 'out_of_scope', 'This API key has no access to this resource');
    } else if (scope) {
      assertInScope(principal, scope);
      if (command.spec.agencyKeysOwnAgencyOnly && principal.role === 'agency' && scope.agencyId === undefined) {
        throw new HttpProblem(403, 'out_of_scope', `An agency key may ${command.operationId} only for its own agency, not collaborative-wide`);
      }
    } else if (!(principal.role === 'admin' && principal.collaborativeIds === null)) {
      throw new HttpProblem(404, 'not_found', 'No such resource');
    }

    const now = (deps.clock ?? (() => new Date()))().toISOString();
    // A client's correlation id is kept only in the format a client request id may have (docs/input-bounds.md).
    const correlation = acceptedClientId(request.headers['x-correlation-id']);
    const meta = {
      now,
      actorId: principal.actorId,
      actorRole: principal.role,
      correlationId: correlation ?? String(request.id),
      requestId: String(request.id),
      ...(request.clientRequestId ? { clientRequestId: request.clientRequestId } : {}),
      ...(idemKey ? { idempotencyKey: `api:${principal.keyId}:${idemKey}` } : {}),
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    };

    if (expectedVersion !== undefined) {
      const current = await deps.eventStore.streamVersion(targetStreamId);
      if (current !== expectedVersion) {
        throw new HttpProblem(412, 'version_mismatch', `The resource is at version ${current}, not ${expectedVersion}`, {
          currentVersion: current,
        });
      }
    }

    let result: ExecuteResult | undefined;
    for (let attempt = 0; result === undefined; attempt++) {
      try {
        result = await executeCommand(port, { type: command.type, data }, meta, { cache: deps.commandCache });
      } catch (error) {
        if (isConcurrencyError(error) && expectedVersion !== undefined) {
          if (error.streamId === targetStreamId) {
            throw new HttpProblem(412, 'version_mismatch', `The resource is at version ${error.actual}, not ${expectedVersion}`, {
              currentVersion: error.actual,
            });
          }
          // A stream read for context moved: not the client's precondition, decide again.
          if (attempt < MAX_CONTEXT_RETRIES) continue;
        }
        throw error;
      }
    }

    if (!result.replayed) await options.afterAppend?.();
    if (port.captured) return sendStored(reply, port.captured);
    if (result.replayed && idemKey) {
      const stored = await storedResponse(deps.pool, principal.keyId, idemKey);
      if (stored) return sendStored(reply, stored);
    }
    return sendStored(reply, build(result.version, result.lastPosition));
  };
  if (!idemKey) return run();
  try {
    return await run();
  } catch (error) {
    const stored = await storedResponse(deps.pool, principal.keyId, idemKey).catch(() => undefined);
    if (!stored) throw error;
    if (stored.fingerprint !== fingerprint) {
      throw new HttpProblem(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    }
    return sendStored(reply, stored);
  }
}
