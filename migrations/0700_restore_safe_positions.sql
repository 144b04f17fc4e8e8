-- Restore-safe positions (issue 11.1, 11.2, 11.3).
--
-- A global position was (writer's xid8 << 20) + index. Transaction ids belong to a cluster: after
-- pg_dump | psql into another cluster (or pg_resetwal, a logical-replication move) new appends
-- got positions below the restored history and every checkpoint, and at xid epoch >= 2 positions
-- passed 2^53. Now position = ((xid8 - xid_offset) << 20) + index, with xid_offset stored here.
-- The offset is re-seeded (convene_reseed_positions) so that new positions lie just above the
-- newest stored one whenever the stored history lies "in the future" of this cluster's
-- transaction ids, or implausibly far in its past; appends and reads refuse (CV006) until that is
-- done, and the event store re-seeds and retries on its own.
CREATE TABLE convene_positions (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  xid_offset  bigint NOT NULL,
  seeded_at   timestamptz NOT NULL DEFAULT now(),
  seeded_from bigint -- the newest stored position when seeded (null: none)
);

-- Positions must stay exact as JavaScript numbers.
CREATE FUNCTION convene_max_position() RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT 9007199254740991::bigint';

-- Whether the offset must be re-seeded, judged within one snapshot: the history lies in the
-- future (a stored position at or above what the next transaction would get), or the cluster's
-- transaction ids ran more than 2^31 past the newest position (a restore into a cluster far
-- ahead, e.g. at a higher xid epoch): positions would be needlessly large, maybe unrepresentable.
CREATE FUNCTION convene_positions_stale(p_offset bigint, p_max bigint, p_xmax bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT p_offset IS NULL
      OR coalesce(p_max, 0) >= ((p_xmax - p_offset) << 20)
      OR (p_xmax - p_offset) - (coalesce(p_max, 0) >> 20) > 2147483648
$$;

-- Makes new positions start just above the newest stored one. Runs in a transaction of its own
-- (the event store calls it when an append or read answers CV006, and at start-up). The
-- exclusive appender lock waits for running appenders (they hold it shared) and holds new ones
-- off, so every appender uses one offset. The next appender's xid is above this transaction's.
-- Returns whether it re-seeded.
CREATE FUNCTION convene_reseed_positions() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_offset bigint;
  v_max bigint;
  v_xmax bigint;
BEGIN
  -- Checked first without the lock (every process calls this at start-up: a running store's
  -- appenders should not wait for it), then again under it.
  SELECT (SELECT xid_offset FROM convene_positions), (SELECT max(global_position) FROM events),
         pg_snapshot_xmax(pg_current_snapshot())::text::bigint
    INTO v_offset, v_max, v_xmax;
  IF NOT convene_positions_stale(v_offset, v_max, v_xmax) THEN RETURN false; END IF;
  PERFORM pg_advisory_xact_lock(1129729653, 1);
  SELECT (SELECT xid_offset FROM convene_positions), (SELECT max(global_position) FROM events),
         pg_snapshot_xmax(pg_current_snapshot())::text::bigint
    INTO v_offset, v_max, v_xmax;
  IF NOT convene_positions_stale(v_offset, v_max, v_xmax) THEN RETURN false; END IF;
  INSERT INTO convene_positions AS p (xid_offset, seeded_from)
    VALUES (pg_current_xact_id()::text::bigint - (coalesce(v_max, 0) >> 20), v_max)
    ON CONFLICT (singleton) DO UPDATE SET xid_offset = excluded.xid_offset, seeded_at = now(), seeded_from = excluded.seeded_from;
  RETURN true;
END $$;

-- Seeded now, under the same lock: positions of an existing store continue just above its newest
-- event; a new store's start small.
SELECT convene_reseed_positions();

-- Called once per transaction by the first append, after the shared appender lock is held (so a
-- re-seed cannot change the offset under it). Returns the transaction's position base.
CREATE FUNCTION convene_begin_append() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_offset bigint;
  v_max bigint;
  v_xmax bigint;
  v_base bigint;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    -- Readers bound the feed by the xids of running appenders. That is only sound if an
    -- appender is visible (this lock) before its xid exists, so the append must come first.
    RAISE EXCEPTION 'an append must be the first write of its transaction' USING ERRCODE = 'CV003';
  END IF;
  PERFORM pg_advisory_xact_lock_shared(1129729653, 1);
  SELECT (SELECT xid_offset FROM convene_positions), (SELECT max(global_position) FROM events),
         pg_snapshot_xmax(pg_current_snapshot())::text::bigint
    INTO v_offset, v_max, v_xmax;
  IF convene_positions_stale(v_offset, v_max, v_xmax) THEN
    RAISE EXCEPTION 'global positions need re-seeding: the stored history does not fit this cluster''s transaction ids (restored from another cluster?)'
      USING ERRCODE = 'CV006', HINT = 'SELECT convene_reseed_positions() in a transaction of its own (the event store does so itself)';
  END IF;
  v_base := (pg_current_xact_id()::text::bigint - v_offset) << 20;
  IF v_base + 1048575 > convene_max_position() THEN
    RAISE EXCEPTION 'global position % cannot be represented exactly (above 2^53 - 1)', v_base
      USING ERRCODE = 'CV007', HINT = 're-seed the positions (SELECT convene_reseed_positions())';
  END IF;
  PERFORM set_config('convene.appending', 'on', true);
  PERFORM set_config('convene.next_index', '0', true);
  PERFORM set_config('convene.base', v_base::text, true);
  RETURN v_base;
END $$;

-- As in 0001, with the position base of convene_begin_append, and an append of no events refused
-- (issue 11.6: it created a stream at version 0, which no later append could name).
CREATE OR REPLACE FUNCTION convene_append(
  p_appends jsonb, p_guards jsonb, p_metadata jsonb,
  p_idem_key text, p_idem_fingerprint text, p_idem_extra jsonb, p_recorded_at timestamptz
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_base bigint;
  v_next integer;
  v_app jsonb;
  v_guard jsonb;
  v_stream text;
  v_count integer;
  v_expected integer;
  v_version integer;
  v_actual integer;
  v_stored record;
  v_streams jsonb := '[]'::jsonb;
  v_last bigint;
  v_result jsonb;
BEGIN
  IF current_setting('convene.appending', true) IS DISTINCT FROM 'on' THEN
    PERFORM convene_begin_append();
  END IF;
  v_base := current_setting('convene.base')::bigint;
  v_next := current_setting('convene.next_index')::integer;

  IF jsonb_array_length(p_appends) = 0 THEN
    RAISE EXCEPTION 'an append needs at least one event' USING ERRCODE = 'CV008';
  END IF;
  FOR v_app IN SELECT value FROM jsonb_array_elements(p_appends) LOOP
    IF coalesce(jsonb_array_length(v_app->'events'), 0) = 0 THEN
      RAISE EXCEPTION 'an append to stream % has no events', v_app->>'streamId' USING ERRCODE = 'CV008',
        DETAIL = jsonb_build_object('streamId', v_app->>'streamId')::text;
    END IF;
  END LOOP;

  IF p_idem_key IS NOT NULL THEN
    -- A concurrent holder of the same key makes this wait until it commits or rolls back.
    INSERT INTO idempotency_keys (key, fingerprint) VALUES (p_idem_key, p_idem_fingerprint)
      ON CONFLICT (key) DO NOTHING;
    IF NOT FOUND THEN
      SELECT fingerprint, result INTO v_stored FROM idempotency_keys WHERE key = p_idem_key;
      IF v_stored.fingerprint <> p_idem_fingerprint THEN
        RAISE EXCEPTION 'idempotency key reused with a different payload' USING ERRCODE = 'CV002',
          DETAIL = jsonb_build_object('key', p_idem_key)::text;
      END IF;
      RETURN v_stored.result || jsonb_build_object('replayed', true);
    END IF;
  END IF;

  FOR v_guard IN SELECT value FROM jsonb_array_elements(coalesce(p_guards, '[]'::jsonb)) LOOP
    v_actual := NULL;
    SELECT version INTO v_actual FROM streams WHERE stream_id = v_guard->>'streamId' FOR SHARE;
    IF coalesce(v_actual, 0) <> (v_guard->>'expectedVersion')::integer THEN
      RAISE EXCEPTION 'stream % is at version %, expected %', v_guard->>'streamId', coalesce(v_actual, 0),
        v_guard->>'expectedVersion' USING ERRCODE = 'CV001',
        DETAIL = jsonb_build_object('streamId', v_guard->>'streamId', 'expected',
          (v_guard->>'expectedVersion')::integer, 'actual', coalesce(v_actual, 0))::text;
    END IF;
  END LOOP;

  FOR v_app IN SELECT value FROM jsonb_array_elements(p_appends) LOOP
    v_stream := v_app->>'streamId';
    v_count := jsonb_array_length(v_app->'events');
    v_expected := (v_app->>'expected')::integer;
    v_version := NULL;
    IF v_expected = -2 THEN
      INSERT INTO streams AS s (stream_id, stream_type, version)
        VALUES (v_stream, v_app->>'streamType', v_count)
        ON CONFLICT (stream_id) DO UPDATE SET version = s.version + excluded.version
        RETURNING version INTO v_version;
    ELSIF v_expected <= 0 THEN
      INSERT INTO streams (stream_id, stream_type, version) VALUES (v_stream, v_app->>'streamType', v_count)
        ON CONFLICT (stream_id) DO NOTHING
        RETURNING version INTO v_version;
    ELSE
      -- Concurrent updaters queue on the row; after the first commits, the others re-check
      -- the WHERE clause, find another version and update nothing.
      UPDATE streams SET version = version + v_count
        WHERE stream_id = v_stream AND version = v_expected
        RETURNING version INTO v_version;
    END IF;
    IF v_version IS NULL THEN
      SELECT version INTO v_actual FROM streams WHERE stream_id = v_stream;
      RAISE EXCEPTION 'stream % is at version %, expected %', v_stream, coalesce(v_actual, 0),
        CASE WHEN v_expected <= 0 THEN 'no stream' ELSE v_expected::text END USING ERRCODE = 'CV001',
        DETAIL = jsonb_build_object('streamId', v_stream, 'expected', v_expected,
          'actual', coalesce(v_actual, 0))::text;
    END IF;

    INSERT INTO events (global_position, stream_id, stream_type, stream_version, event_id,
                        event_type, schema_version, data, metadata, recorded_at)
    SELECT v_base + v_next + e.ord - 1, v_stream, v_app->>'streamType', v_version - v_count + e.ord,
           (e.value->>'id')::uuid, e.value->>'type', coalesce((e.value->>'schemaVersion')::integer, 1),
           e.value->'data', p_metadata, coalesce(p_recorded_at, now())
      FROM jsonb_array_elements(v_app->'events') WITH ORDINALITY AS e(value, ord);

    v_next := v_next + v_count;
    v_last := v_base + v_next - 1;
    v_streams := v_streams || jsonb_build_array(jsonb_build_object('streamId', v_stream,
      'nextVersion', v_version, 'lastPosition', v_base + v_next - 1));
  END LOOP;

  IF v_next >= 1048576 THEN
    RAISE EXCEPTION 'a transaction may append at most 1048575 events' USING ERRCODE = 'CV004';
  END IF;
  PERFORM set_config('convene.next_index', v_next::text, true);

  v_result := jsonb_build_object('streams', v_streams, 'lastPosition', v_last, 'extra', p_idem_extra);
  IF p_idem_key IS NOT NULL THEN
    UPDATE idempotency_keys SET result = v_result WHERE key = p_idem_key;
  END IF;
  RETURN v_result || jsonb_build_object('replayed', false);
END $$;

-- As in 0004, with the position base of convene_begin_append.
CREATE OR REPLACE FUNCTION convene_append_batch(p_requests jsonb, p_plain_events integer) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_base bigint;
  v_next integer;
  v_results jsonb[];
  v_done integer[];
  v_answers jsonb[];
  k integer;
  v_code text;
  v_detail text;
  v_message text;
BEGIN
  -- Taken here, outside the subtransactions: a rolled-back subtransaction would release the
  -- appender lock and undo the flag, while the transaction's xid stays assigned.
  IF current_setting('convene.appending', true) IS DISTINCT FROM 'on' THEN
    PERFORM convene_begin_append();
  END IF;
  v_base := current_setting('convene.base')::bigint;
  v_next := current_setting('convene.next_index')::integer;
  v_results := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(p_requests)]);

  WITH upd AS (
    UPDATE streams st SET version = st.version + jsonb_array_length(x.e)
      FROM ROWS FROM (jsonb_to_recordset(p_requests) AS (s text, x integer, o integer, e jsonb))
           WITH ORDINALITY AS x(s, x, o, e, i)
     WHERE x.x > 0 AND st.stream_id = x.s AND st.version = x.x AND jsonb_array_length(x.e) > 0
    RETURNING x.i::integer AS i, x.o, jsonb_array_length(x.e) AS n, st.version
  ), ins AS (
    INSERT INTO events (global_position, stream_id, stream_type, stream_version, event_id,
                        event_type, schema_version, data, metadata, recorded_at)
    SELECT v_base + v_next + u.o + ev.ord - 1, rq.s, rq.t, u.version - u.n + ev.ord, ev.id, ev.type,
           coalesce(ev.sv, 1), coalesce(ev.data, 'null'::jsonb), rq.m, coalesce(rq.at, now())
      FROM upd u, jsonb_to_record(p_requests->(u.i - 1)) AS rq(s text, t text, e jsonb, m jsonb, at timestamptz),
           ROWS FROM (jsonb_to_recordset(rq.e) AS (id uuid, type text, "schemaVersion" integer, data jsonb))
           WITH ORDINALITY AS ev(id, type, sv, data, ord)
  )
  SELECT coalesce(array_agg(u.i), '{}'),
         coalesce(array_agg(jsonb_build_array(u.version, v_base + v_next + u.o + u.n - 1)), '{}')
    INTO v_done, v_answers
    FROM upd u;
  FOR k IN 1 .. coalesce(array_length(v_done, 1), 0) LOOP
    v_results[v_done[k]] := v_answers[k];
  END LOOP;
  v_next := v_next + p_plain_events;

  IF coalesce(array_length(v_done, 1), 0) < jsonb_array_length(p_requests) THEN
    FOR r IN SELECT q.i::integer AS i, coalesce(x."full", jsonb_build_object(
                 'appends', jsonb_build_array(jsonb_build_object('streamId', x.s, 'streamType', x.t, 'expected', x.x, 'events', x.e)),
                 'guards', '[]'::jsonb, 'metadata', x.m, 'recordedAt', x.at)) AS req
               FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS q(r, i),
                    jsonb_to_record(q.r) AS x(s text, t text, x integer, e jsonb, m jsonb, at text, "full" jsonb)
              WHERE NOT (q.i::integer = ANY (v_done)) LOOP
      PERFORM set_config('convene.next_index', v_next::text, true);
      BEGIN
        v_results[r.i] := jsonb_build_object('ok', convene_append(
          r.req->'appends', r.req->'guards', r.req->'metadata', r.req->>'idemKey',
          r.req->>'idemFingerprint', r.req->'idemExtra', (r.req->>'recordedAt')::timestamptz));
      EXCEPTION WHEN OTHERS THEN
        -- Caught here, a deadlock or lock timeout (class 40, 55P03) is answered like any other
        -- error; the caller re-runs those requests alone (group-commit.ts).
        GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL, v_message = MESSAGE_TEXT;
        v_results[r.i] := jsonb_build_object('error',
          jsonb_build_object('code', v_code, 'detail', v_detail, 'message', v_message));
      END;
      v_next := current_setting('convene.next_index')::integer;
    END LOOP;
  END IF;

  IF v_next >= 1048576 THEN
    RAISE EXCEPTION 'a transaction may append at most 1048575 events' USING ERRCODE = 'CV004';
  END IF;
  PERFORM set_config('convene.next_index', v_next::text, true);
  RETURN to_jsonb(v_results);
END $$;

-- As in 0002, in offset positions, refusing (CV006) while the history lies in the future, and on
-- a hot standby (issue 11.3) bounded by the snapshot's xmin: pg_locks there does not show the
-- primary's appenders, but the standby counts every xid below the newest it has replayed as
-- running until it replays its commit or abort, so every appender the primary may still commit
-- is at or above xmin.
CREATE OR REPLACE FUNCTION convene_safe_position() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_snap pg_snapshot;
  v_xmax bigint;
  v_bound bigint;
  v_offset bigint;
  v_max bigint;
  v_pending boolean;
  v_min bigint;
BEGIN
  SELECT pg_current_snapshot(), (SELECT xid_offset FROM convene_positions), (SELECT max(global_position) FROM events)
    INTO v_snap, v_offset, v_max;
  v_xmax := pg_snapshot_xmax(v_snap)::text::bigint;
  v_bound := v_xmax;
  IF v_offset IS NULL OR coalesce(v_max, 0) >= ((v_xmax - v_offset) << 20) THEN
    RAISE EXCEPTION 'global positions need re-seeding: the stored history does not fit this cluster''s transaction ids (restored from another cluster?)'
      USING ERRCODE = 'CV006', HINT = 'SELECT convene_reseed_positions() on the primary (the event store does so itself)';
  END IF;
  IF pg_is_in_recovery() THEN
    RETURN (pg_snapshot_xmin(v_snap)::text::bigint - v_offset) << 20;
  END IF;
  SELECT bool_or(h.xid8 IS NULL), min(h.xid8) INTO v_pending, v_min
  FROM (
    SELECT a.virtualtransaction,
           -- pg_locks shows 32-bit xids; widen them against the snapshot's 64-bit xmax.
           min(v_xmax - (((v_xmax - t.transactionid::text::bigint) % 4294967296) + 4294967296) % 4294967296) AS xid8
      FROM pg_locks a
      LEFT JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction
        AND t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
     WHERE a.locktype = 'advisory' AND a.classid = 1129729653::oid AND a.objid = 1::oid
       AND a.objsubid = 2 AND a.granted AND a.mode = 'ShareLock'
       AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     GROUP BY a.virtualtransaction
  ) h;
  IF v_min IS NOT NULL THEN v_bound := least(v_bound, v_min); END IF;
  -- An appender caught between taking its xid and showing its xid lock: its xid, if it has one,
  -- was running when the snapshot was taken, so the snapshot's xmin bounds it.
  IF v_pending THEN v_bound := least(v_bound, pg_snapshot_xmin(v_snap)::text::bigint); END IF;
  RETURN (v_bound - v_offset) << 20;
END $$;
