// One append as the convene_append SQL function takes it: the request built from the caller's
// streams and options, and the single call that sends it (group commit batches many; see
// group-commit.ts). The EventStore decides when to seal, retry and notify; this file only speaks SQL.
import { v7 as uuidv7 } from 'uuid';
import type { AppendRequest, RawAppendResult } from './group-commit';
import { KeyGenerationMovedError, keyGenerationHolds } from './personal-data';
import { expectedCode, streamTypeOf } from './event-rows';
import type { AppendOptions, EventMetadata, Queryable, StreamAppend } from './types';
import type { UpcasterRegistry } from './upcasters';

/** The request for `appends`, with each event's data taken from `sealed` when it was sealed. */
export function appendRequest(
  appends: StreamAppend[],
  options: AppendOptions,
  metadata: EventMetadata,
  upcasters: UpcasterRegistry,
  sealed: { data: unknown[]; generation: number | null } | undefined,
): AppendRequest {
  let index = 0;
  const payload = appends.map((a) => ({
    streamId: a.streamId,
    streamType: a.streamType ?? streamTypeOf(a.streamId),
    expected: expectedCode(a.expectedVersion),
    events: a.events.map((e) => ({
      id: e.id ?? uuidv7(),
      type: e.type,
      schemaVersion: e.schemaVersion ?? upcasters.currentVersion(e.type),
      data: (sealed ? sealed.data[index++] : e.data) ?? null,
    })),
  }));
  return {
    appends: payload,
    guards: options.guards ?? [],
    metadata,
    idemKey: options.idempotency?.key ?? null,
    idemFingerprint: options.idempotency?.fingerprint ?? null,
    idemExtra: options.idempotency?.extra ?? null,
    recordedAt: options.recordedAt?.toISOString() ?? null,
    keyGeneration: sealed?.generation ?? null,
    ...(options.alsoWrite ? { alsoWrite: options.alsoWrite } : {}),
    ...(options.noNewStreams?.length ? { noNewStreams: options.noNewStreams } : {}),
  };
}

/** One append in one call of convene_append, on the caller's connection or the pool. */
export async function appendOne(request: AppendRequest, client: Queryable): Promise<RawAppendResult> {
  // Unnamed: a named prepared statement breaks behind a transaction pooler (PgBouncer), where
  // consecutive calls may run on different server connections. The function's own plans are
  // cached per server connection either way.
  const { alsoWrite, noNewStreams } = request;
  const guarded = request.keyGeneration !== null && request.keyGeneration !== undefined;
  // Parameters after the seven of convene_append, in this order when present.
  let n = 7;
  const alsoParams = alsoWrite ? [++n, ++n] : [];
  const checkParam = noNewStreams ? ++n : 0;
  const generationParam = guarded ? ++n : 0;
  const append = guarded
    ? `SELECT CASE WHEN ${keyGenerationHolds(generationParam)} THEN convene_append($1, $2, $3, $4, $5, $6, $7) END AS r`
    : 'SELECT convene_append($1, $2, $3, $4, $5, $6, $7) AS r';
  // The write (migrations/0850) and the check (0860) run after the append, in its statement; the
  // check only for an append that happened, not for a replay.
  const after = [
    ...(alsoWrite ? [`convene_also_write($${alsoParams[0]}, $${alsoParams[1]}, r)`] : []),
    ...(noNewStreams ? [`CASE WHEN r IS NOT NULL AND NOT coalesce((r->>'replayed')::boolean, false) THEN convene_check_no_new_streams($${checkParam}) END`] : []),
  ];
  const res = await client.query<{ r: RawAppendResult | null }>({
    text: after.length > 0 ? `WITH appended AS MATERIALIZED (${append}) SELECT r, ${after.join(', ')} FROM appended` : append,
    values: [
      JSON.stringify(request.appends),
      JSON.stringify(request.guards),
      JSON.stringify(request.metadata),
      request.idemKey,
      request.idemFingerprint,
      request.idemExtra === null ? null : JSON.stringify(request.idemExtra),
      request.recordedAt,
      ...(alsoWrite ? [alsoWrite.sql, JSON.stringify(alsoWrite.values)] : []),
      ...(noNewStreams ? [JSON.stringify(noNewStreams)] : []),
      ...(guarded ? [request.keyGeneration] : []),
    ],
  });
  const r = res.rows[0]!.r;
  if (r === null) throw new KeyGenerationMovedError();
  return r;
}
