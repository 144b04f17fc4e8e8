// The HTTP answer of a keyed command, stored with its append (issue 13): HttpPort is the
// EventStorePort that writes api_idempotent_responses in the append's own statement or
// transaction, and storedResponse reads it back for a retry.
import { withTransaction } from '@convene/db';
import type { FastifyReply } from 'fastify';
import type { AppendManyOptions, AppendManyResult, EventStorePort, StreamAppend } from '@convene/domain';
import type { EventStore } from '@convene/eventstore';
import type pg from 'pg';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function sendStored(reply: FastifyReply, stored: StoredResponse): FastifyReply {
  return reply.code(stored.status).headers(stored.headers).type('application/json').send(stored.body);
}

// Stand-ins for the version and position in an answer built before the append (see HttpPort).
const VERSION_MARK = 9_007_199_254_740_991;
const POSITION_MARK = 9_007_199_254_740_990;
const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** The port of executeCommand over the PostgreSQL event store, storing the HTTP answer with the append. */
export class HttpPort implements EventStorePort {
  captured: StoredResponse | undefined;
  constructor(
    private readonly store: EventStore,
    private readonly pool: pg.Pool,
    private readonly idempotency: { keyId: string; key: string; fingerprint: string; targetStreamId: string } | undefined,
    private readonly respond: (version: number, position: number) => StoredResponse,
  ) {}

  readStream(streamId: string, options?: { fromVersion?: number }) {
    return this.store.readStream(streamId, options);
  }

  findStreams(query: { eventType: string; match: { collaborativeId: string } & Record<string, string> }) {
    return this.store.findStreams(query);
  }

  // No readIdempotency: handleCommand looked the key up before (api_idempotent_responses is
  // written with the key's idempotency_keys row); a retry racing in between is answered from what
  // it stored, whether our decision is refused or our append replays (one statement saved).

  /** The answer to an append: the target stream's new version and the append's last position. */
  private answerTo(result: AppendManyResult, targetStreamId: string): StoredResponse {
    return this.respond(result.streams.find((s) => s.streamId === targetStreamId)?.nextVersion ?? 0, result.lastPosition);
  }

  async appendMany(appends: StreamAppend[], options: AppendManyOptions): Promise<AppendManyResult> {
    const idem = this.idempotency;
    if (!idem) return this.store.appendMany(appends, options);
    // The answer depends on the version and position the append gets: built with marks for them,
    // it is stored by the append's own statement with the marks replaced (one round trip, one
    // transaction), and built again here from the result, byte for byte the same.
    const template = this.respond(VERSION_MARK, POSITION_MARK);
    const headers = JSON.stringify(template.headers);
    const marked = [headers, template.body].every(
      (t) => occurrences(t, String(VERSION_MARK)) === 1 && occurrences(t, String(POSITION_MARK)) === 1,
    );
    if (marked) {
      const result = await this.store.appendMany(appends, {
        ...options,
        // $1: the values below; $2: the append's result (convene_also_write, migrations/0850).
        alsoWrite: {
          sql: `INSERT INTO api_idempotent_responses (key_id, idem_key, fingerprint, status, headers, body)
                SELECT ($1->>0)::uuid, $1->>1, $1->>2, ($1->>3)::integer,
                       replace(replace($1->>4, $1->>6, v.version), $1->>7, v.position)::jsonb,
                       replace(replace($1->>5, $1->>6, v.version), $1->>7, v.position)
                  FROM (SELECT coalesce((SELECT s->>'nextVersion' FROM jsonb_array_elements($2->'streams') s WHERE s->>'streamId' = $1->>8), '0') AS version,
                               $2->>'lastPosition' AS position) v`,
          values: [idem.keyId, idem.key, idem.fingerprint, template.status, headers, template.body, String(VERSION_MARK), String(POSITION_MARK), idem.targetStreamId],
        },
      });
      if (!result.replayed) this.captured = this.answerTo(result, idem.targetStreamId);
      return result;
    }
    const result = await withTransaction(this.pool, async (client) => {
      const appended = await this.store.appendMany(appends, { ...options, client });
      if (!appended.replayed) {
        const response = this.answerTo(appended, idem.targetStreamId);
        await client.query(
          `INSERT INTO api_idempotent_responses (key_id, idem_key, fingerprint, status, headers, body)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [idem.keyId, idem.key, idem.fingerprint, response.status, JSON.stringify(response.headers), response.body],
        );
        this.captured = response;
      }
      return appended;
    });
    if (!result.replayed) this.store.notifyAppended();
    return result;
  }
}

export async function storedResponse(pool: pg.Pool, keyId: string, key: string) {
  const { rows } = await pool.query<{ fingerprint: string; status: number; headers: Record<string, string>; body: string }>(
    'SELECT fingerprint, status, headers, body FROM api_idempotent_responses WHERE key_id = $1 AND idem_key = $2',
    [keyId, key],
  );
  return rows[0];
}
