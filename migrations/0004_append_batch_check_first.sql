-- Group commit, cheaper: a plain append (one stream, no guards, no idempotency key) no longer
-- runs in a subtransaction. Its stream write is its version check and its first write, so a
-- wrong expected version writes nothing and needs no rollback: the request is answered with
-- CV001 and the batch goes on. Anything else failing in it (a malformed event id, say) aborts
-- the whole batch, which the caller then re-runs one request at a time. Other requests still run
-- in a subtransaction each, through convene_append.
--
-- Plain requests come flattened: {s: streamId, t: streamType, x: expected (-2 any, -1/0 no
-- stream, n), o: offset of its events, e: [{id, type, schemaVersion, data}], m: metadata,
-- at: recordedAt}; the others as
-- {full: <convene_append's request>}. A plain request is answered [nextVersion, lastPosition],
-- the others {ok: result}; a refused one {error: {code, detail, message}}.
CREATE OR REPLACE FUNCTION convene_append_batch(p_requests jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_base bigint;
  v_next integer;
  v_n integer;
  v_version integer;
  v_actual integer;
  v_results jsonb[];
  v_done integer[];
  v_answers jsonb[];
  k integer;
  v_added integer;
  v_code text;
  v_detail text;
  v_message text;
BEGIN
  IF current_setting('convene.appending', true) IS DISTINCT FROM 'on' THEN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'an append must be the first write of its transaction' USING ERRCODE = 'CV003';
    END IF;
    PERFORM pg_advisory_xact_lock_shared(1129729653, 1);
    PERFORM set_config('convene.appending', 'on', true);
    PERFORM set_config('convene.next_index', '0', true);
  END IF;
  v_base := (pg_current_xact_id()::text::bigint) << 20;
  v_next := current_setting('convene.next_index')::integer;
  v_results := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(p_requests)]);

  -- Every plain request in one statement: its stream write checks the expected version, and only
  -- requests whose stream write succeeded insert events. The caller sends at most one plain
  -- request per stream (a stream's later requests come as full ones) and each request's offset
  -- among the plain requests' events (o), so positions need no window function here; a refused
  -- request leaves a hole in the positions, as a rolled-back append does. Refused requests are
  -- run again below, one by one, to answer them with the stream's actual version.
  WITH plain AS (
    SELECT q.i::integer AS i, x.s, x.t, x.x, x.e, x.m, x.at, x.o, jsonb_array_length(x.e) AS n
      FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS q(r, i),
           jsonb_to_record(q.r) AS x(s text, t text, x integer, o integer, e jsonb, m jsonb, at timestamptz, "full" jsonb)
     WHERE x."full" IS NULL
  ), upd AS (
    UPDATE streams st SET version = st.version + p.n FROM plain p
     WHERE p.x > 0 AND st.stream_id = p.s AND st.version = p.x
    RETURNING p.i, st.version
  ), created AS (
    INSERT INTO streams (stream_id, stream_type, version)
    SELECT s, t, n FROM plain WHERE x IN (-1, 0) ORDER BY s
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING stream_id, version
  ), anyv AS (
    INSERT INTO streams AS st (stream_id, stream_type, version)
    SELECT s, t, n FROM plain WHERE x = -2 ORDER BY s
    ON CONFLICT (stream_id) DO UPDATE SET version = st.version + excluded.version
    RETURNING stream_id, version
  ), ok AS (
    SELECT p.i, p.s, p.t, p.e, p.m, p.at, p.o, p.n, v.version
      FROM plain p JOIN (SELECT * FROM upd
                         UNION ALL SELECT p2.i, c.version FROM created c JOIN plain p2 ON p2.s = c.stream_id AND p2.x IN (-1, 0)
                         UNION ALL SELECT p3.i, a.version FROM anyv a JOIN plain p3 ON p3.s = a.stream_id AND p3.x = -2) v
        ON v.i = p.i
  ), ins AS (
    INSERT INTO events (global_position, stream_id, stream_type, stream_version, event_id,
                        event_type, schema_version, data, metadata, recorded_at)
    SELECT v_base + v_next + ok.o + ev.ord - 1, ok.s, ok.t, ok.version - ok.n + ev.ord, ev.id, ev.type,
           coalesce(ev.sv, 1), coalesce(ev.data, 'null'::jsonb), ok.m, coalesce(ok.at, now())
      FROM ok, ROWS FROM (jsonb_to_recordset(ok.e) AS (id uuid, type text, "schemaVersion" integer, data jsonb))
           WITH ORDINALITY AS ev(id, type, sv, data, ord)
  )
  SELECT coalesce(array_agg(ok.i), '{}'),
         coalesce(array_agg(jsonb_build_array(ok.version, CASE WHEN ok.n > 0 THEN v_base + v_next + ok.o + ok.n - 1 END)), '{}'),
         (SELECT coalesce(max(o + n), 0) FROM plain)
    INTO v_done, v_answers, v_added
    FROM ok;
  FOR k IN 1 .. coalesce(array_length(v_done, 1), 0) LOOP
    v_results[v_done[k]] := v_answers[k];
  END LOOP;
  v_next := v_next + v_added;

  -- Then, in order, whatever that left: full requests (a subtransaction each), and refused plain
  -- requests, whose stream write is tried once more (it may now succeed: the statement above
  -- saw the streams as of its start) or answered with the actual version.
  IF coalesce(array_length(v_done, 1), 0) < jsonb_array_length(p_requests) THEN
  FOR r IN SELECT q.i::integer AS i, x.* FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS q(r, i),
             jsonb_to_record(q.r) AS x(s text, t text, x integer, e jsonb, m jsonb, at timestamptz, "full" jsonb)
            WHERE NOT (q.i::integer = ANY (v_done)) LOOP
    IF r."full" IS NOT NULL THEN
      PERFORM set_config('convene.next_index', v_next::text, true);
      BEGIN
        v_results[r.i] := jsonb_build_object('ok', convene_append(
          r."full"->'appends', r."full"->'guards', r."full"->'metadata', r."full"->>'idemKey',
          r."full"->>'idemFingerprint', r."full"->'idemExtra', (r."full"->>'recordedAt')::timestamptz));
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL, v_message = MESSAGE_TEXT;
        v_results[r.i] := jsonb_build_object('error',
          jsonb_build_object('code', v_code, 'detail', v_detail, 'message', v_message));
      END;
      -- A rolled-back subtransaction also rolls back its set_config: the index is right either way.
      v_next := current_setting('convene.next_index')::integer;
      CONTINUE;
    END IF;

    v_n := jsonb_array_length(r.e);
    v_version := NULL;
    IF r.x = -2 THEN
      INSERT INTO streams AS st (stream_id, stream_type, version) VALUES (r.s, r.t, v_n)
        ON CONFLICT (stream_id) DO UPDATE SET version = st.version + excluded.version
        RETURNING version INTO v_version;
    ELSIF r.x <= 0 THEN
      INSERT INTO streams (stream_id, stream_type, version) VALUES (r.s, r.t, v_n)
        ON CONFLICT (stream_id) DO NOTHING
        RETURNING version INTO v_version;
    ELSE
      UPDATE streams SET version = version + v_n WHERE stream_id = r.s AND version = r.x
        RETURNING version INTO v_version;
    END IF;
    IF v_version IS NULL THEN
      SELECT version INTO v_actual FROM streams WHERE stream_id = r.s;
      v_results[r.i] := jsonb_build_object('error', jsonb_build_object('code', 'CV001',
        'message', format('stream %s is at version %s, expected %s', r.s, coalesce(v_actual, 0),
                          CASE WHEN r.x <= 0 THEN 'no stream' ELSE r.x::text END),
        'detail', jsonb_build_object('streamId', r.s, 'expected', r.x, 'actual', coalesce(v_actual, 0))::text));
      CONTINUE;
    END IF;

    INSERT INTO events (global_position, stream_id, stream_type, stream_version, event_id,
                        event_type, schema_version, data, metadata, recorded_at)
    SELECT v_base + v_next + ev.ord - 1, r.s, r.t, v_version - v_n + ev.ord, ev.id, ev.type,
           coalesce(ev.sv, 1), coalesce(ev.data, 'null'::jsonb), r.m, coalesce(r.at, now())
      FROM ROWS FROM (jsonb_to_recordset(r.e) AS (id uuid, type text, "schemaVersion" integer, data jsonb))
           WITH ORDINALITY AS ev(id, type, sv, data, ord);
    v_next := v_next + v_n;
    v_results[r.i] := jsonb_build_array(v_version, CASE WHEN v_n > 0 THEN v_base + v_next - 1 END);
  END LOOP;
  END IF;

  IF v_next >= 1048576 THEN
    RAISE EXCEPTION 'a transaction may append at most 1048575 events' USING ERRCODE = 'CV004';
  END IF;
  PERFORM set_config('convene.next_index', v_next::text, true);
  RETURN to_jsonb(v_results);
END $$;

-- Every append rewrites its stream's row. Room left on each page lets that new row version stay
-- on the page (a HOT update: no index entry, less WAL) once the table holds many streams.
ALTER TABLE streams SET (fillfactor = 70);
