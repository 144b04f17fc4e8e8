-- The event store. Frozen in time: later changes go in later files.

CREATE TABLE streams (
  stream_id   text PRIMARY KEY,
  stream_type text NOT NULL,
  version     integer NOT NULL CHECK (version >= 0)
);

-- global_position is not an identity: it is (writer's xid8 << 20) + the event's index in its
-- transaction. Position order is then transaction-id order, so "everything below the oldest
-- running appender's xid" is a prefix of the feed, and readers can stop exactly there (see
-- convene_safe_position). A transaction holds at most 2^20 events.
CREATE TABLE events (
  global_position bigint PRIMARY KEY,
  stream_id       text NOT NULL,
  stream_type     text NOT NULL,
  stream_version  integer NOT NULL CHECK (stream_version >= 1),
  event_id        uuid NOT NULL UNIQUE,
  event_type      text NOT NULL,
  schema_version  integer NOT NULL DEFAULT 1,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  UNIQUE (stream_id, stream_version)
);

CREATE TABLE idempotency_keys (
  key         text PRIMARY KEY,
  fingerprint text NOT NULL,
  result      jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Events are immutable: no UPDATE, DELETE or TRUNCATE, whoever asks.
CREATE FUNCTION convene_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are immutable: % on events refused', TG_OP USING ERRCODE = 'CV010';
END $$;
CREATE TRIGGER events_immutable_rows BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION convene_refuse_event_change();
CREATE TRIGGER events_immutable_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION convene_refuse_event_change();

-- Appends to many streams, checks guards and an idempotency key, in the caller's transaction and
-- in one round trip. p_appends: [{streamId, streamType, expected (-2 any, -1/0 no stream, n),
-- events: [{id, type, schemaVersion, data}]}]; p_guards: [{streamId, expectedVersion}].
CREATE FUNCTION convene_append(
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
    -- Readers bound the feed by the xids of running appenders. That is only sound if an
    -- appender is visible (this lock) before its xid exists, so the append must come first.
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'an append must be the first write of its transaction' USING ERRCODE = 'CV003';
    END IF;
    PERFORM pg_advisory_xact_lock_shared(1129729653, 1);
    PERFORM set_config('convene.appending', 'on', true);
    PERFORM set_config('convene.next_index', '0', true);
  END IF;
  v_base := (pg_current_xact_id()::text::bigint) << 20;
  v_next := current_setting('convene.next_index')::integer;

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
    IF v_count > 0 THEN v_last := v_base + v_next - 1; END IF;
    v_streams := v_streams || jsonb_build_array(jsonb_build_object('streamId', v_stream,
      'nextVersion', v_version, 'lastPosition', CASE WHEN v_count > 0 THEN v_base + v_next - 1 END));
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

-- The highest position below which every event is settled (committed and visible to a snapshot
-- taken after this call, or rolled back). Bounded by running appenders only: they hold the shared
-- advisory lock taken in convene_append, so an idle or long transaction that appended nothing
-- holds no reader back. pg_locks shows each appender's own transactionid lock, i.e. its xid.
CREATE FUNCTION convene_safe_position() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_snap pg_snapshot := pg_current_snapshot();
  v_xmax bigint := pg_snapshot_xmax(v_snap)::text::bigint;
  v_bound bigint := pg_snapshot_xmax(v_snap)::text::bigint;
  v_pending boolean;
  v_min bigint;
BEGIN
  SELECT bool_or(h.xid8 IS NULL), min(h.xid8) INTO v_pending, v_min
  FROM (
    SELECT a.virtualtransaction,
           -- pg_locks shows 32-bit xids; widen them against the snapshot's 64-bit xmax.
           min(v_xmax - (((v_xmax - t.transactionid::text::bigint) % 4294967296) + 4294967296) % 4294967296) AS xid8
      FROM pg_locks a
      LEFT JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction
        AND t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
     WHERE a.locktype = 'advisory' AND a.classid = 1129729653::oid AND a.objid = 1::oid
       AND a.objsubid = 2 AND a.granted
     GROUP BY a.virtualtransaction
  ) h;
  IF v_min IS NOT NULL THEN v_bound := least(v_bound, v_min); END IF;
  -- An appender caught between taking its xid and showing its xid lock: its xid, if it has one,
  -- was running when the snapshot was taken, so the snapshot's xmin bounds it.
  IF v_pending THEN v_bound := least(v_bound, pg_snapshot_xmin(v_snap)::text::bigint); END IF;
  RETURN v_bound << 20;
END $$;

-- Events after p_after in position order, never past a position an appender may still fill.
-- The events are read by a statement that starts after the bound was taken, so everything below
-- the bound is already visible to it. Must run in READ COMMITTED (one snapshot per statement).
CREATE FUNCTION convene_read_all(p_after bigint, p_limit integer, p_types text[])
RETURNS TABLE (safe_position bigint, global_position bigint, stream_id text, stream_type text,
               stream_version integer, event_id uuid, event_type text, schema_version integer,
               data jsonb, metadata jsonb, recorded_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_safe bigint;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'convene_read_all needs READ COMMITTED' USING ERRCODE = 'CV005';
  END IF;
  v_safe := convene_safe_position();
  RETURN QUERY
    SELECT v_safe, e.global_position, e.stream_id, e.stream_type, e.stream_version, e.event_id,
           e.event_type, e.schema_version, e.data, e.metadata, e.recorded_at
      FROM events e
     WHERE e.global_position > p_after AND e.global_position < v_safe
       AND (p_types IS NULL OR e.event_type = ANY (p_types))
     ORDER BY e.global_position
     LIMIT p_limit;
END $$;
